package cn.urbanmgmt.risk.intake;

import cn.urbanmgmt.risk.common.ImportMode;
import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.common.SqlRetry;
import cn.urbanmgmt.risk.common.tabular.TabularFile;
import cn.urbanmgmt.risk.common.tabular.TabularWriter;
import cn.urbanmgmt.risk.events.EventImportService;
import cn.urbanmgmt.risk.events.EventInput;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.events.MerchantEvent;
import cn.urbanmgmt.risk.grading.GradingService;
import cn.urbanmgmt.risk.registry.MerchantService;
import cn.urbanmgmt.risk.security.CurrentUser;
import cn.urbanmgmt.risk.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

@Path("/api/v1/events")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "事件 (events)")
@APIResponse(responseCode = "401", description = "未登录", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "角色无权", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class EventResource {

    private static final Logger LOG = Logger.getLogger(EventResource.class);

    @Inject
    EventService events;

    @Inject
    EventImportService importer;

    @Inject
    GradingService grading;

    @Inject
    EventIntake intake;

    @Inject
    MerchantService merchants;

    @Inject
    CurrentUser currentUser;


    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.SQUAD_, Role.CREDIT_})
    @Operation(summary = "提交一个事件，并立即重新评定该商户的风险等级",
            description = "同一来源（source）同一编号（sourceId）只记录一次：重复提交返回 200 和已记录的事件，并确保该商户的等级已按全部事件计算。"
                    + "更正请提交新事件并用 supersedesSourceId 指明被更正的事件。早于当前规则回溯期的事件会被记录，但 notice 说明当前规则不计入它。")
    @APIResponse(responseCode = "201", description = "已记录并重新评级（grade 为此后存储的等级）")
    @APIResponse(responseCode = "200", description = "此前已记录（重复提交）")
    @APIResponse(responseCode = "202", description = "会降低商户等级或撤下已公示的不利结果：已提交审批（pending），须另一名人员批准后生效（GET /api/v1/approvals）")
    @APIResponse(responseCode = "400", description = "事件有误", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "同一来源编号已记录了不同内容", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response record(EventInput input) {
        if (input == null) throw ProblemException.badRequest("请求体不能为空，请提交事件（JSON）");
        EventIntake.Accepted body = intake.submit(input, currentUser.actor());
        if (body.pending() != null) {
            // Four eyes: held, no effect on the grade until a second officer approves it.
            return Response.status(body.duplicate() ? 200 : 202).location(URI.create("/api/v1/approvals/" + body.pending().id)).entity(body).build();
        }
        MerchantEvent e = body.event();
        if (body.duplicate()) return Response.ok(body).build();
        return Response.created(URI.create("/api/v1/events/" + e.id)).entity(body).build();
    }

    /** {@code errors}: the first 1,000; {@code errorCount}: all; {@code errorReport}: id of the full report (GET /api/v1/import-error-reports/{id}). */
    public record ImportResult(String format, int totalRows, int stored, int duplicates, int rejected, int merchantsRegraded,
                               int gradesChanged, List<Problem.FieldError> errors, long errorCount, String errorReport, int pending) {
    }

    @POST
    @Path("/import")
    @Consumes({"text/csv", "application/x-ndjson", "application/jsonl", "application/octet-stream", TabularWriter.XLSX_TYPE, MediaType.TEXT_PLAIN})
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.SQUAD_, Role.CREDIT_})
    @Operation(summary = "批量导入事件（CSV/XLSX/NDJSON），导入后重新评定相关商户",
            description = "默认全部正确才导入（每个错误行给出行号和字段）；mode=PARTIAL 只导入正确的行。重复导入同一文件不会重复记录。")
    @APIResponse(responseCode = "200", description = "导入结果")
    @APIResponse(responseCode = "400", description = "文件有误，未导入任何事件", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ImportResult importEvents(InputStream body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                     @QueryParam("mode") @DefaultValue("ALL_OR_NOTHING") @Parameter(description = "ALL_OR_NOTHING 或 PARTIAL") String mode,
                                     @QueryParam("encoding") @Parameter(description = "CSV 编码：UTF-8 或 GBK；不填自动识别") String encoding) {
        byte[] file = TabularFile.readAll(body);
        EventImportService.Result r = SqlRetry.run("event import", 4, SqlRetry::isRace,
                () -> importer.importFile(file, contentType, encoding, ImportMode.parse(mode), currentUser.actor()));
        int changed = 0;
        if (!r.merchantIds().isEmpty()) {
            try {
                changed = grading.regradeMerchants(new ArrayList<>(r.merchantIds()), "批量导入事件（" + currentUser.username() + "）").changed();
            } catch (RuntimeException ex) {
                // The events and their "needs regrade" marks are stored: the drain grades these merchants.
                LOG.errorf(ex, "Regrade after an event import failed");
            }
        }
        return new ImportResult(r.format(), r.totalRows(), r.stored(), r.duplicates(), r.rejected(), r.merchantIds().size(), changed, r.errors(), r.errorCount(),
                r.errorReport(), r.pending());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
    @Operation(summary = "读取一个事件")
    @APIResponse(responseCode = "200", description = "事件")
    @APIResponse(responseCode = "404", description = "不存在或不在辖区内", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public MerchantEvent get(@PathParam("id") long id) {
        MerchantEvent e = MerchantEvent.findById(id);
        if (e == null) throw ProblemException.notFound("事件 " + id + " 不存在");
        merchants.get(e.merchantId, currentUser.actor());
        return e;
    }


}
