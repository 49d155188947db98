package cn.urbanmgmt.risk.common;

import java.util.List;
import java.util.function.Function;

/** One page of a search: the items, the page asked for and how many match in all. */
public record PageResult<T>(List<T> items, int page, int size, long total) {

    public <R> PageResult<R> map(Function<T, R> f) {
        return new PageResult<>(items.stream().map(f).toList(), page, size, total);
    }
}
