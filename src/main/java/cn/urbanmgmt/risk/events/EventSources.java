package cn.urbanmgmt.risk.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * zh-CN names of the source systems that send events (the {@code source} field is a free code such
 * as {@code case-system}); pages and printouts show the name, never the code alone.
 */
public final class EventSources {

    /** Events typed in the web console by an officer. */
    public static final String CONSOLE = "console";

    private static final Map<String, String> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put(CONSOLE, "管理台录入");
        NAMES.put("case-system", "执法办案系统");
        NAMES.put("12345", "12345 热线");
        NAMES.put("camera", "视频监控");
        NAMES.put("credit", "信用管理系统");
        NAMES.put("inspection", "检查记录");
        NAMES.put("double-random", "双随机抽查");
        NAMES.put("history-import", "历史数据导入");
    }

    private EventSources() {
    }

    /** The zh-CN name; an unknown source is shown as 其他来源（code）. */
    public static String name(String source) {
        if (source == null || source.isBlank()) return "未注明来源";
        String n = NAMES.get(source.strip().toLowerCase(java.util.Locale.ROOT));
        return n != null ? n : "其他来源（" + source + "）";
    }

    /** The sources an officer may choose in the console (code -> name). */
    public static Map<String, String> choices() {
        return NAMES;
    }
}
