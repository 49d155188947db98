package cn.urbanmgmt.risk.inspection;

import cn.urbanmgmt.risk.common.Cells;
import cn.urbanmgmt.risk.common.Labelled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;

/** List-valued cells of the inspection files: values separated by 、 , ; or line breaks. */
public final class TabularLists {

    public static final String SEPARATOR = "、";

    private TabularLists() {
    }

    public static List<String> split(String text) {
        if (text == null || text.isBlank()) return List.of();
        return Arrays.stream(text.split("[、,，;；\\n]+")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new)).stream().toList();
    }

    public static List<String> texts(Cells c, String field, String... headers) {
        return split(c.text(field, headers));
    }

    /** Code-list values by code or zh-CN label; each unknown one is reported on the cell. */
    public static <E extends Enum<E> & Labelled> List<E> labels(Cells c, Class<E> type, String field, String... headers) {
        String text = c.text(field, headers);
        List<E> out = new ArrayList<>();
        for (String v : split(text)) {
            E e = Labelled.parse(type, v);
            if (e == null) c.error(field, v, "取值“" + v + "”无效，可选：" + Labelled.allowed(type));
            else if (!out.contains(e)) out.add(e);
        }
        return out;
    }

    public static String join(List<?> values) {
        return values == null ? "" : values.stream().map(v -> v instanceof Labelled l ? l.label() : String.valueOf(v))
                .collect(Collectors.joining(SEPARATOR));
    }
}
