package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.ImportMode;
import cn.urbanmgmt.risk.common.ImportReport;
import cn.urbanmgmt.risk.common.Problem;
import io.quarkus.qute.TemplateData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** A file uploaded from an office import form, and the import's answer as the page shows it (columns by their zh-CN header). */
record ImportUpload(byte[] bytes, ImportMode mode, boolean dryRun, String missing) {

    static ImportUpload of(FileUpload file, String mode, String dryRun) {
        ImportMode m = "PARTIAL".equals(mode) ? ImportMode.PARTIAL : ImportMode.ALL_OR_NOTHING;
        boolean dry = dryRun != null && !dryRun.isBlank();
        if (file == null || file.fileName() == null || file.fileName().isBlank() || file.size() == 0) {
            return new ImportUpload(null, m, dry, "请选择要导入的文件（CSV 或 Excel .xlsx）");
        }
        try {
            return new ImportUpload(Files.readAllBytes(file.uploadedFile()), m, dry, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One rejected cell: line, column (zh-CN header), value, message. */
    @TemplateData
    public record Line(Integer line, String column, String value, String message) {
    }

    /**
     * What the page shows: counts (null when the file was refused as a whole), the rejected lines
     * (the first 1,000), how many in all, and where the full report is downloaded.
     */
    @TemplateData
    public record View(boolean refused, String title, String detail, ImportReport report, List<Line> lines, long errorCount,
                       String errorReport) {
    }

    static View view(ImportReport r, Map<String, String> labels) {
        return new View(false, null, null, r, lines(r.errors(), labels), r.errorCount(), r.errorReport());
    }

    static View view(Problem p, Map<String, String> labels) {
        List<Problem.FieldError> errors = p.errors() == null ? List.of() : p.errors();
        return new View(true, p.title(), Forms.humanize(p.detail(), labels), null, lines(errors, labels),
                p.errorCount() == null ? errors.size() : p.errorCount(), p.errorReport());
    }

    private static List<Line> lines(List<Problem.FieldError> errors, Map<String, String> labels) {
        return errors.stream().map(e -> new Line(e.line(), e.field() == null ? "" : labels.getOrDefault(e.field(), e.field()), e.value(),
                Forms.humanize(e.message(), labels))).toList();
    }
}
