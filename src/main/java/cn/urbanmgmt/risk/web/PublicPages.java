package cn.urbanmgmt.risk.web;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * 公示: open to everyone, no login. The plan notices and results it is for come from the public API
 * of the inspection-planning work; until that is merged the page says so.
 */
// Reachable without a role (deny-unannotated-endpoints is on): the pages decide what to show.
@jakarta.annotation.security.PermitAll
@Path("/public")
@Produces(MediaType.TEXT_HTML)
public class PublicPages {

    @Inject
    @Location("public.html")
    Template publicPage;

    @GET
    @Operation(hidden = true)
    public TemplateInstance index() {
        return publicPage.instance();
    }
}
