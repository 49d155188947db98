package cn.urbanmgmt.risk.rules;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

/**
 * Documents the {kind} of /api/v1/rule-sets/{kind}/…: the endpoints are inherited from
 * {@link RuleSetEndpoints}, and the scanner does not carry {@link RuleSetResource}'s path field over to
 * them, so the parameter is added to each of those paths here.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class RuleSetOpenApiFilter implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) return;
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (!path.startsWith(RuleSetResource.BASE + "{kind}/")) return;
            if (item.getParameters() != null && item.getParameters().stream().anyMatch(p -> "kind".equals(p.getName()))) return;
            item.addParameter(OASFactory.createParameter().name("kind").in(Parameter.In.PATH).required(true)
                    .description("规则集类型：grading（风险分级规则）或 sampling（抽查规则）")
                    .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING).enumeration(List.of("grading", "sampling"))));
        });
    }
}
