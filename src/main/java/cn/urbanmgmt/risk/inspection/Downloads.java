package cn.urbanmgmt.risk.inspection;

import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.common.tabular.TabularWriter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.Locale;

/** CSV/XLSX download responses for the inspection exports. */
public final class Downloads {

    private Downloads() {
    }

    /** "csv" or "xlsx"; anything else is refused naming the parameter. */
    public static String format(String format) {
        String f = format == null ? "csv" : format.strip().toLowerCase(Locale.ROOT);
        if (!f.equals("csv") && !f.equals("xlsx")) {
            throw ProblemException.invalidField("format", "导出格式“" + format + "”不支持，可选：csv、xlsx");
        }
        return f;
    }

    public static Response file(StreamingOutput body, String baseName, String format) {
        return Response.ok(body, format.equals("xlsx") ? TabularWriter.XLSX_TYPE : TabularWriter.CSV_TYPE)
                .header("Content-Disposition", "attachment; filename=\"" + baseName + "." + format + "\"").build();
    }
}
