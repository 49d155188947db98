package cn.urbanmgmt.risk.common;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a search: the items, the page asked for and how many match in all. A page past the
 * last one (other than page 0 of an empty result) is refused with a 400 that names the last page.
 */
public record PageResult<T>(List<T> items, int page, int size, long total) {

    public PageResult {
        if (page > 0 && (long) page * size >= total) {
            long last = total == 0 ? 0 : (total - 1) / Math.max(size, 1);
            String detail = "查询参数 page 超出范围：共 " + total + " 条，每页 " + size + " 条，页码应为 0 到 " + last;
            throw ProblemException.validation(detail, List.of(new Problem.FieldError(null, "page", String.valueOf(page), detail)));
        }
    }

    public <R> PageResult<R> map(Function<T, R> f) {
        return new PageResult<>(items.stream().map(f).toList(), page, size, total);
    }
}
