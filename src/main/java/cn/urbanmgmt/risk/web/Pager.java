package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.PageResult;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Paging links for a search page: the filters are kept, only the page number changes. */
public record Pager(long total, int page, int size, long from, long to, int lastPage, String prevUrl, String nextUrl,
                    String firstUrl, String lastUrl) {

    public static Pager of(String path, Map<String, String> filters, PageResult<?> result) {
        int lastPage = (int) Math.max(0, (result.total() - 1) / result.size());
        long from = result.total() == 0 ? 0 : (long) result.page() * result.size() + 1;
        long to = Math.min(result.total(), (long) (result.page() + 1) * result.size());
        return new Pager(result.total(), result.page(), result.size(), from, to, lastPage,
                result.page() > 0 ? url(path, filters, result.page() - 1) : null,
                result.page() < lastPage ? url(path, filters, result.page() + 1) : null,
                result.page() > 0 ? url(path, filters, 0) : null,
                result.page() < lastPage ? url(path, filters, lastPage) : null);
    }

    public int pageNumber() {
        return page + 1;
    }

    public int pageCount() {
        return lastPage + 1;
    }

    static String url(String path, Map<String, String> filters, int page) {
        Map<String, String> q = new LinkedHashMap<>(filters);
        q.put("page", String.valueOf(page));
        return path + "?" + query(q);
    }

    public static String query(Map<String, String> params) {
        return params.entrySet().stream().filter(e -> e.getValue() != null && !e.getValue().isBlank())
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
