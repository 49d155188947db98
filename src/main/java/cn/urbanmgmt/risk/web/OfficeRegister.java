package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.ImportMode;
import cn.urbanmgmt.risk.common.ImportReport;
import cn.urbanmgmt.risk.common.ProblemException;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * What the office register pages (merchants, inspectors, items) share: saving a form (a 400 page
 * with the field errors, or the service's refusal shown on the form, or a redirect) and the import
 * page with its per-line report. One instance a register: its zh-CN subject, paths and column headers.
 */
record OfficeRegister(String subject, String consolePath, String apiPath, String back, List<String> headers,
                      Map<String, String> labels) {

    /** The service's import call: bytes, encoding (sniffed when null), mode, dry run, actor. */
    @FunctionalInterface
    interface Importer {
        ImportReport importFile(byte[] bytes, String encoding, ImportMode mode, boolean dryRun, Actor actor);
    }

    /**
     * Saves a filled form: a 400 page when the form has errors already, else {@code save} (which
     * answers where to go next) with the service's refusal shown on the form.
     */
    Response submit(Forms.Filled filled, Function<Forms.Filled, TemplateInstance> render, Supplier<String> save) {
        if (filled.hasErrors()) return PageErrors.html(400, render.apply(filled));
        try {
            return PageErrors.seeOther(save.get());
        } catch (ProblemException e) {
            return PageErrors.html(e.problem().status(), render.apply(filled.refused(e, labels)));
        }
    }

    /** Imports an uploaded file and shows its report (or why it was refused) on the import page. */
    Response importFile(Console console, Template page, FileUpload file, String mode, String dryRun, Importer importer) {
        ImportUpload upload = ImportUpload.of(file, mode, dryRun);
        if (upload.missing() != null) return PageErrors.html(400, importPage(console, page, null, upload.missing()));
        try {
            ImportReport report = importer.importFile(upload.bytes(), null, upload.mode(), upload.dryRun(), console.actor());
            return PageErrors.html(200, importPage(console, page, ImportUpload.view(report, labels), null));
        } catch (ProblemException e) {
            return PageErrors.html(e.problem().status(),
                    importPage(console, page, ImportUpload.view(e.problem(), labels), null));
        }
    }

    TemplateInstance importPage(Console console, Template page, ImportUpload.View report, String missing) {
        return console.page(page, "office").data("subject", subject).data("action", consolePath + "/import")
                .data("headers", headers).data("report", report).data("missing", missing)
                .data("exportCsv", apiPath + "/export?format=csv").data("exportXlsx", apiPath + "/export?format=xlsx")
                .data("back", back);
    }
}
