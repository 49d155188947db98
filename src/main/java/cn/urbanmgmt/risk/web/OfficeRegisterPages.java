package cn.urbanmgmt.risk.web;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * The parts the office register pages (merchants, inspectors, items) share: the console, the error
 * pages, the import page and their {@link OfficeRegister}. The endpoints, their roles and the
 * exception mappers stay on each page: security annotations and {@code @ServerExceptionMapper}
 * are not meant to be inherited from a parent class.
 */
abstract class OfficeRegisterPages {

    @Inject
    Console console;

    @Inject
    PageErrors errors;

    @Inject
    @Location("office/import.html")
    Template importPage;

    /** This page's register: subject, paths, column headers and field labels. */
    abstract OfficeRegister register();

    /** Saves a filled form, see {@link OfficeRegister#submit}. */
    Response submit(Forms.Filled filled, Function<Forms.Filled, TemplateInstance> render, Supplier<String> save) {
        return register().submit(filled, render, save);
    }

    /** The empty import page. */
    TemplateInstance importView() {
        return register().importPage(console, importPage, null, null);
    }

    /** Imports an uploaded file and shows the report on the import page. */
    Response runImport(FileUpload file, String mode, String dryRun, OfficeRegister.Importer importer) {
        return register().importFile(console, importPage, file, mode, dryRun, importer);
    }
}
