package cn.urbanmgmt.risk.registry;

import cn.urbanmgmt.risk.common.Labelled;
import cn.urbanmgmt.risk.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Code lists a client needs to fill in forms: streets, squads, categories, key-unit types, statuses. */
@Path("/api/v1/reference")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
@Tag(name = "代码表 (reference data)")
public class ReferenceResource {

    public record Code(String code, String name) {
    }

    public record StreetView(String code, String name, String squad, String squadName) {
    }

    public record SquadView(String code, String name, String kind, List<String> streets) {
    }

    @Inject
    ReferenceData refs;

    @GET
    @Path("/streets")
    @Operation(summary = "街镇及其执法队")
    public List<StreetView> streets() {
        return refs.streets().stream().map(s -> new StreetView(s.code, s.name, s.squadCode, refs.squad(s.squadCode).name)).toList();
    }

    @GET
    @Path("/squads")
    @Operation(summary = "执法中队及其辖区街镇")
    public List<SquadView> squads() {
        return refs.squads().stream().map(s -> new SquadView(s.code, s.name, s.kind, s.streetCodes.stream().sorted().toList())).toList();
    }

    @GET
    @Path("/code-lists")
    @Operation(summary = "行业类别、重点单位类型、经营状态的代码与中文名")
    public Map<String, List<Code>> codeLists() {
        return Map.of("category", codes(MerchantCategory.values()), "keyUnitType", codes(KeyUnitType.values()),
                "status", codes(MerchantStatus.values()));
    }

    static List<Code> codes(Labelled[] values) {
        return Arrays.stream(values).map(v -> new Code(v.name(), v.label())).toList();
    }
}
