package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.grading.RuleAudit;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Arrays;
import java.util.stream.Collectors;

/** What the REST resources of every rule kind answer the same way: stored versions, exports, audit filters. */
public final class RuleResources {

    private RuleResources() {
    }

    /** 201 with its location for a new version, 200 for one stored before. */
    public static Response stored(RuleKind<?, ?> kind, RuleAuthoringService.Stored s) {
        return Response.status(s.created() ? 201 : 200).location(URI.create(kind.apiBase() + "/versions/" + s.version().version())).entity(s).build();
    }

    /** JSON, or a zip ready to unpack into rules/ (format=zip, or Accept: application/zip). */
    public static Response export(RuleAuthoringService authoring, RuleKind<?, ?> kind, String version, String format, String accept) {
        if (format != null && !format.equalsIgnoreCase("zip") && !format.equalsIgnoreCase("json")) {
            throw ProblemException.invalidField("format", "导出格式应为 json 或 zip");
        }
        boolean zip = "zip".equalsIgnoreCase(format) || (format == null && accept != null && accept.contains("application/zip")
                && !accept.contains(MediaType.APPLICATION_JSON));
        if (!zip) return Response.ok(authoring.export(kind, version), MediaType.APPLICATION_JSON).build();
        byte[] bytes = authoring.exportZip(kind, version);
        String prefix = kind instanceof GradingRuleKind ? "rules-" : kind.folder() + "-rules-";
        String name = prefix + RuleAuthoringService.shortHash(authoring.find(kind, version).hash) + ".zip";
        return Response.ok(bytes, "application/zip").header("Content-Disposition", "attachment; filename=\"" + name + "\"").build();
    }

    /** The audit action filter, or null; a name that is none is a 400 naming the choices. */
    public static RuleAudit.Action action(String action) {
        if (action == null || action.isBlank()) return null;
        return Arrays.stream(RuleAudit.Action.values()).filter(x -> x.name().equalsIgnoreCase(action.trim())).findFirst()
                .orElseThrow(() -> ProblemException.invalidField("action", "操作类型“" + action + "”无效，可选："
                        + Arrays.stream(RuleAudit.Action.values()).map(Enum::name).collect(Collectors.joining("、"))));
    }

    public static int limit(int requested, int max) {
        return Math.min(Math.max(requested, 1), max);
    }
}
