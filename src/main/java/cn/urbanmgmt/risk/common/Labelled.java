package cn.urbanmgmt.risk.common;

import java.util.Arrays;
import java.util.stream.Collectors;

/** A code-list value with a zh-CN label; files may use either the code or the label. */
public interface Labelled {

    String label();

    String name();

    /** Parses a code ("CATERING") or zh-CN label ("餐饮"); null when it is neither. */
    static <E extends Enum<E> & Labelled> E parse(Class<E> type, String text) {
        if (text == null) return null;
        String t = text.trim();
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(t) || e.label().equals(t)) return e;
        }
        return null;
    }

    static <E extends Enum<E> & Labelled> String allowed(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(e -> e.name() + "（" + e.label() + "）")
                .collect(Collectors.joining("、"));
    }
}
