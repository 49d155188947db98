package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.grading.RuleAudit;
import cn.urbanmgmt.risk.grading.engine.RuleProblem;
import cn.urbanmgmt.risk.jobs.Job;
import cn.urbanmgmt.risk.jobs.JobService;
import cn.urbanmgmt.risk.inspection.items.ItemService;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.ReferenceData;
import cn.urbanmgmt.risk.rules.RuleAuthoringService;
import cn.urbanmgmt.risk.rules.RuleSetRejectedException;
import cn.urbanmgmt.risk.security.Role;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * 规则管理: the rule author's loop in the browser, for each kind of rule set ({@link RuleSetConsole},
 * /console/rules/{kind}/...): the active version, version history and audit log; a version's files
 * in the editor, saved or uploaded as a candidate; validation with each problem at its line; scenario
 * runs; simulations (a job with a progress bar, then the transition matrix and the shift by street
 * and category as charts); activation and rollback with a comment; the diff of two versions.
 *
 * <p>Thin: every step calls the kind's authoring service, as the REST API does, with the same roles:
 * ADMIN and RULE_AUTHOR see the pages, only RULE_AUTHOR changes rules, both may roll back. Steps the
 * page runs in place (validate, test, simulate, activate, roll back) are htmx requests answered with
 * a fragment (or an HX-Redirect), with the CSRF token in the X-CSRF-Token header.
 */
@CsrfProtected
@Path("/console/rules")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Role.ADMIN_, Role.RULE_AUTHOR_, Role.REVIEWER_})
public class RulesPages {

    static final int VERSIONS = 50;
    static final int AUDIT_ON_OVERVIEW = 10;
    static final int AUDIT_PAGE = 200;

    @Inject
    Console console;

    @Inject
    PageErrors errors;

    @Inject
    SecurityIdentity identity;

    @Inject
    HttpHeaders headers;

    @Inject
    @Any
    Instance<RuleSetConsole> kinds;

    @Inject
    JobService jobs;

    @Inject
    ReferenceData refs;

    @Inject
    ObjectMapper json;

    @Inject
    CsrfToken csrf;

    @Inject
    HttpServerRequest request;

    @Inject
    ItemService items;

    @Inject
    @Location("rules/overview.html")
    Template overviewPage;

    @Inject
    @Location("rules/version.html")
    Template versionPage;

    @Inject
    @Location("rules/simulation.html")
    Template simulationPage;

    @Inject
    @Location("rules/sampling-simulation.html")
    Template samplingSimulationPage;

    @Inject
    @Location("rules/diff.html")
    Template diffPage;

    @Inject
    @Location("rules/audit.html")
    Template auditPage;

    @Inject
    @Location("rules/validation.html")
    Template validationFragment;

    @Inject
    @Location("rules/tests.html")
    Template testsFragment;

    @Inject
    @Location("rules/problem.html")
    Template problemFragment;

    @Inject
    @Location("rules/failed.html")
    Template failedPage;

    /**
     * What the signed-in person may do on a kind's pages: the roles of the REST API (RULE_AUTHOR
     * changes rules; only ADMIN rolls back, the one-person emergency action) and the steps the kind offers.
     */
    public record Can(boolean author, boolean edit, boolean upload, boolean validate, boolean test, boolean simulate, boolean activate,
                      boolean rollback, boolean diff, boolean audit, boolean review) {
    }

    /** A file in the editor: its path, text, CodeMirror mode and whether it holds rules or scenarios. */
    public record EditorFile(String path, String text, String mode, boolean scenario, int lines) {
    }

    /** An option of a select: code and zh-CN name. */
    public record Option(String value, String label) {
    }

    // ---- pages ------------------------------------------------------------------------------------

    @GET
    @Operation(hidden = true)
    public Response index() {
        return PageErrors.seeOther("/console/rules/" + all().get(0).kind());
    }

    @GET
    @Path("/{kind}")
    @Operation(hidden = true)
    public TemplateInstance overview(@RestPath String kind, @RestQuery String done, @RestQuery Long job) {
        RuleSetConsole k = kind(kind);
        List<RuleAuthoringService.VersionSummary> versions = k.versions(VERSIONS);
        JobService.Progress regrade = null;
        if (job != null) {
            Job j = Job.findById(job);
            if (j != null) regrade = jobs.progress(j);
        }
        RuleAuthoringService.ActiveInfo active = k.active();
        return page(overviewPage, k)
                .data("active", active)
                .data("exportActiveUrl", active.version() == null ? null : k.exportZipUrl(active.version()))
                .data("versions", versions)
                .data("rollbackTargets", versions.stream().filter(v -> !v.active() && v.activatedAt() != null).toList())
                .data("audit", k.supports(RuleSetConsole.Step.AUDIT) ? k.audit(null, null, AUDIT_ON_OVERVIEW) : List.of())
                .data("done", "activate".equals(done) || "rollback".equals(done) ? done : null)
                .data("regrade", regrade);
    }

    @GET
    @Path("/{kind}/versions/{version}")
    @Operation(hidden = true)
    public TemplateInstance version(@RestPath String kind, @RestPath String version) {
        RuleSetConsole k = kind(kind);
        return versionPage(k, k.files(version), null);
    }

    /** 保存为候选版本: the editor's files (every file of the version, edited or not) as a new candidate, validated on the way. */
    @POST
    @Path("/{kind}/versions/{version}/save")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.RULE_AUTHOR_)
    @Operation(hidden = true)
    public TemplateInstance save(@RestPath String kind, @RestPath String version, @RestForm List<String> path,
                                 @RestForm List<String> text, @RestForm String comment) {
        RuleSetConsole k = kind(kind, RuleSetConsole.Step.EDIT);
        if (path == null || text == null || path.isEmpty() || path.size() != text.size()) {
            throw ProblemException.badRequest("表单中的规则文件不完整，未保存；请刷新页面后重试");
        }
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < path.size(); i++) files.put(path.get(i), text.get(i));
        return stored(k, k.upload(files, comment, user()));
    }

    /**
     * 上传: .drl and .yaml files replace or add the files of the same name in the base version (the
     * rest of the base version is kept, since a version is always a whole rule set), unless "replace
     * all" is ticked; a .zip (as exported) is the whole rule set.
     */
    @POST
    @Path("/{kind}/upload")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @RolesAllowed(Role.RULE_AUTHOR_)
    @Operation(hidden = true)
    public TemplateInstance upload(@RestPath String kind, @RestForm("file") List<FileUpload> uploads, @RestForm String base,
                                   @RestForm String replaceAll, @RestForm String comment) {
        RuleSetConsole k = kind(kind, RuleSetConsole.Step.UPLOAD);
        List<FileUpload> chosen = uploads == null ? List.of() : uploads.stream().filter(u -> u.fileName() != null && !u.fileName().isBlank()).toList();
        if (chosen.isEmpty()) throw ProblemException.invalidField("file", "请选择要上传的文件：.drl 规则文件、.yaml 测试场景，或导出的 .zip 压缩包");
        boolean zip = chosen.stream().anyMatch(u -> lower(u.fileName()).endsWith(".zip"));
        if (zip) {
            if (chosen.size() > 1) throw ProblemException.invalidField("file", "上传 .zip 压缩包时请只选这一个文件（压缩包里就是完整的规则集）");
            return stored(k, k.uploadZip(read(chosen.get(0)), comment, user()));
        }
        Map<String, String> files = new TreeMap<>();
        if (!"on".equals(replaceAll) && !"true".equals(replaceAll)) {
            RuleSetConsole.Files b = k.files(base == null || base.isBlank() ? activeVersion(k) : base);
            files.putAll(b.rules());
            files.putAll(b.tests());
        }
        List<Problem.FieldError> bad = new ArrayList<>();
        for (FileUpload u : chosen) {
            String name = u.fileName().replace('\\', '/');
            name = name.substring(name.lastIndexOf('/') + 1);
            String folder = lower(name).endsWith(".drl") ? k.ruleFolder()
                    : lower(name).endsWith(".yaml") || lower(name).endsWith(".yml") ? k.testFolder() : null;
            if (folder == null) {
                bad.add(new Problem.FieldError(null, "file", null, "文件“" + name + "”的类型无法识别：请上传 .drl 规则文件、.yaml 测试场景或 .zip 压缩包"));
                continue;
            }
            try {
                files.put(folder + "/" + name, StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(read(u))).toString());
            } catch (CharacterCodingException e) {
                bad.add(new Problem.FieldError(null, "file", null, "文件“" + name + "”不是 UTF-8 编码的文本：请用 UTF-8 保存后重新上传"));
            }
        }
        if (!bad.isEmpty()) throw ProblemException.validation("上传的文件有误，未保存任何版本", bad);
        return stored(k, k.upload(files, comment, user()));
    }

    @POST
    @Path("/{kind}/versions/{version}/validate")
    @RolesAllowed(Role.RULE_AUTHOR_)
    @Operation(hidden = true)
    public TemplateInstance validate(@RestPath String kind, @RestPath String version) {
        RuleSetConsole k = kind(kind, RuleSetConsole.Step.VALIDATE);
        return validationFragment.data("validation", k.validate(version, user())).data("created", null);
    }

    @POST
    @Path("/{kind}/versions/{version}/test")
    @RolesAllowed(Role.RULE_AUTHOR_)
    @Operation(hidden = true)
    public TemplateInstance test(@RestPath String kind, @RestPath String version) {
        RuleSetConsole k = kind(kind, RuleSetConsole.Step.TEST);
        RuleSetConsole.Tests t = k.test(version, user());
        // Failed scenarios first: they are what the author came for.
        List<RuleSetConsole.ScenarioView> results = t.results().stream().sorted(Comparator.comparing(RuleSetConsole.ScenarioView::passed)).toList();
        return testsFragment.data("tests", new RuleSetConsole.Tests(t.version(), t.ok(), t.total(), t.passed(), t.failed(), results, t.problems()));
    }

    /** Starts a simulation job and opens its page (progress bar, then the result). */
    @POST
    @Path("/{kind}/versions/{version}/simulate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.RULE_AUTHOR_)
    @Operation(hidden = true)
    public Response simulate(@RestPath String kind, @RestPath String version, @RestForm String street, @RestForm String category,
                             @RestForm String baseline, @RestForm String evaluationDate, @RestForm List<String> items,
                             @RestForm String periodStart, @RestForm String periodEnd, @RestForm String days,
                             @RestForm String inspectorsPerVisit) {
        RuleSetConsole k = kind(kind, RuleSetConsole.Step.SIMULATE);
        JobService.Progress job = k.simulate(version, new RuleSetConsole.SimulationForm(street, category, baseline, evaluationDate, items,
                periodStart, periodEnd, days, inspectorsPerVisit), user());
        return redirect("/console/rules/" + k.kind() + "/simulations/" + job.id());
    }

    @GET
    @Path("/{kind}/simulations/{job}")
    @Operation(hidden = true)
    public TemplateInstance simulation(@RestPath String kind, @RestPath long job) {
        RuleSetConsole k = kind(kind, RuleSetConsole.Step.SIMULATE);
        Job j = Job.findById(job);
        if (j == null || !j.type.equals(k.simulationJobType())) throw ProblemException.notFound("模拟任务 " + job + " 不存在");
        JobService.Progress p = jobs.progress(j);
        Map<String, Object> params = p.params() == null ? Map.of() : p.params();
        RuleSetConsole.SimulationPage sp = k.simulationPage(p);
        TemplateInstance page = page(sp.template().equals("sampling-simulation.html") ? samplingSimulationPage : simulationPage, k)
                .data("job", p)
                .data("candidate", params.get("candidate"))
                .data("baselineVersion", params.get("baseline"))
                .data("evaluationDate", params.get("evaluationDate"))
                .data("streetNames", streetNames());
        sp.data().forEach(page::data);
        return page;
    }

    @POST
    @Path("/{kind}/versions/{version}/activate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.RULE_AUTHOR_)
    @Operation(hidden = true)
    public Response activate(@RestPath String kind, @RestPath String version, @RestForm String comment) {
        RuleSetConsole k = kind(kind, RuleSetConsole.Step.ACTIVATE);
        RuleAuthoringService.Activation a = k.activate(version, comment, user());
        return redirect("/console/rules/" + k.kind() + "?done=activate" + (a.regrade() == null ? "" : "&job=" + a.regrade().id()));
    }

    @Inject
    cn.urbanmgmt.risk.rules.RuleReview review;

    /** Four eyes: the author submits the version for 法制审核. */
    @POST
    @Path("/{kind}/versions/{version}/propose")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.RULE_AUTHOR_)
    @Operation(hidden = true)
    public Response propose(@RestPath String kind, @RestPath String version, @RestForm String comment) {
        AuthoredRuleSetConsole k = reviewed(kind);
        review.propose(k.ruleKind(), version, comment, user());
        return redirect("/console/rules/" + k.kind() + "/versions/" + version + "?done=propose");
    }

    /** Four eyes: a reviewer (not the author) approves ({@code decision=approve}) or returns the version with a comment. */
    @POST
    @Path("/{kind}/versions/{version}/review")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.REVIEWER_)
    @Operation(hidden = true)
    public Response decide(@RestPath String kind, @RestPath String version, @RestForm String decision, @RestForm String comment) {
        AuthoredRuleSetConsole k = reviewed(kind);
        review.decide(k.ruleKind(), version, "approve".equals(decision), comment, user());
        return redirect("/console/rules/" + k.kind() + "/versions/" + version + "?done=" + ("approve".equals(decision) ? "approve" : "return"));
    }

    private AuthoredRuleSetConsole reviewed(String kind) {
        if (kind(kind) instanceof AuthoredRuleSetConsole a) return a;
        throw ProblemException.notFound("这类规则不经法制审核");
    }

    @POST
    @Path("/{kind}/rollback")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.ADMIN_)
    @Operation(hidden = true)
    public Response rollback(@RestPath String kind, @RestForm String version, @RestForm String comment) {
        RuleSetConsole k = kind(kind, RuleSetConsole.Step.ROLLBACK);
        RuleAuthoringService.Activation a = k.rollback(version, comment, user());
        return redirect("/console/rules/" + k.kind() + "?done=rollback" + (a.regrade() == null ? "" : "&job=" + a.regrade().id()));
    }

    @GET
    @Path("/{kind}/diff")
    @Operation(hidden = true)
    public TemplateInstance diff(@RestPath String kind, @RestQuery String from, @RestQuery String to) {
        RuleSetConsole k = kind(kind, RuleSetConsole.Step.DIFF);
        List<RuleAuthoringService.VersionSummary> versions = k.versions(VERSIONS);
        // Defaults: the active version against the newest other one.
        String active = versions.stream().filter(RuleAuthoringService.VersionSummary::active).map(RuleAuthoringService.VersionSummary::version)
                .findFirst().orElse(null);
        String f = from == null || from.isBlank() ? active : from.trim();
        String t = to == null || to.isBlank()
                ? versions.stream().map(RuleAuthoringService.VersionSummary::version).filter(v -> !v.equals(f)).findFirst().orElse(null)
                : to.trim();
        var page = page(diffPage, k).data("versions", versions).data("from", f).data("to", t);
        return page.data("diff", f == null || t == null ? null : k.diff(f, t));
    }

    @GET
    @Path("/{kind}/audit")
    @Operation(hidden = true)
    public TemplateInstance audit(@RestPath String kind, @RestQuery String action, @RestQuery String version) {
        RuleSetConsole k = kind(kind, RuleSetConsole.Step.AUDIT);
        RuleAudit.Action a = null;
        if (action != null && !action.isBlank()) {
            a = Arrays.stream(RuleAudit.Action.values()).filter(x -> x.name().equalsIgnoreCase(action.trim())).findFirst()
                    .orElseThrow(() -> ProblemException.invalidField("action", "操作类型“" + action + "”无效"));
        }
        String v = version == null || version.isBlank() ? null : version.trim();
        return page(auditPage, k)
                .data("entries", k.audit(v, a, AUDIT_PAGE))
                .data("actions", Arrays.stream(RuleAudit.Action.values()).map(x -> new Option(x.name(), RuleFormats.actionName(x))).toList())
                .data("action", a == null ? "" : a.name())
                .data("version", v == null ? "" : v)
                .data("limit", AUDIT_PAGE);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private TemplateInstance page(Template template, RuleSetConsole k) {
        return console.page(template, "rules").data("kind", k).data("kinds", all()).data("can", can(k));
    }

    /** The version page after a save or upload: the stored version with the validation that came with it. */
    private TemplateInstance stored(RuleSetConsole k, RuleAuthoringService.Stored stored) {
        return versionPage(k, k.files(stored.version().version()), stored);
    }

    private TemplateInstance versionPage(RuleSetConsole k, RuleSetConsole.Files f, RuleAuthoringService.Stored stored) {
        // The sampling rules simulate a plan (items, period), the grading rules a regrade (baseline).
        boolean sampling = k.simulatesPlans();
        List<EditorFile> files = new ArrayList<>();
        f.rules().forEach((p, t) -> files.add(new EditorFile(p, t, "text/x-java", false, (int) t.lines().count())));
        f.tests().forEach((p, t) -> files.add(new EditorFile(p, t, "text/x-yaml", true, (int) t.lines().count())));
        return page(versionPage, k)
                .data("v", f.version())
                .data("files", files)
                .data("ruleIndex", f.ruleIndex())
                .data("stored", stored)
                .data("validation", stored == null ? null : stored.validation())
                .data("created", stored == null ? null : stored.created())
                .data("streets", refs.streets().stream().map(s -> new Option(s.code, s.name)).toList())
                .data("categories", Arrays.stream(MerchantCategory.values()).map(c -> new Option(c.name(), c.label())).toList())
                .data("today", LocalDate.now(EventService.ZONE).toString())
                .data("samplingForm", sampling)
                .data("simItems", sampling && can(k).simulate()
                        ? items.list(null, true).stream().map(i -> new Option(i.code, i.code + " " + i.name + "（" + i.edition + " 年版）")).toList()
                        : List.of())
                .data("versionUrl", "/console/rules/" + k.kind() + "/versions/" + f.version().version())
                .data("exportUrl", k.exportZipUrl(f.version().version()));
    }

    private Can can(RuleSetConsole k) {
        boolean author = identity.hasRole(Role.RULE_AUTHOR_);
        boolean admin = identity.hasRole(Role.ADMIN_);
        return new Can(author, author && k.supports(RuleSetConsole.Step.EDIT), author && k.supports(RuleSetConsole.Step.UPLOAD),
                author && k.supports(RuleSetConsole.Step.VALIDATE), author && k.supports(RuleSetConsole.Step.TEST),
                author && k.supports(RuleSetConsole.Step.SIMULATE), author && k.supports(RuleSetConsole.Step.ACTIVATE),
                admin && k.supports(RuleSetConsole.Step.ROLLBACK), k.supports(RuleSetConsole.Step.DIFF),
                k.supports(RuleSetConsole.Step.AUDIT), identity.hasRole(Role.REVIEWER_) && k instanceof AuthoredRuleSetConsole);
    }

    private List<RuleSetConsole> all() {
        return kinds.stream().sorted(Comparator.comparing(k -> k instanceof GradingRuleSetConsole ? "" : k.kind())).toList();
    }

    private RuleSetConsole kind(String kind) {
        return all().stream().filter(k -> k.kind().equals(kind)).findFirst()
                .orElseThrow(() -> ProblemException.notFound("没有“" + kind + "”这类规则；可选：" + String.join("、",
                        all().stream().map(k -> k.kind() + "（" + k.title() + "）").toList())));
    }

    private RuleSetConsole kind(String kind, RuleSetConsole.Step step) {
        RuleSetConsole k = kind(kind);
        if (!k.supports(step)) throw ProblemException.notFound(k.title() + "暂不支持在管理台进行此操作");
        return k;
    }

    private static String activeVersion(RuleSetConsole k) {
        String v = k.active().version();
        if (v == null) throw ProblemException.conflict("没有生效的规则集版本可作为上传的基础，请勾选“替换整个规则集”或上传 .zip");
        return v;
    }

    /** Street code to name, for the simulation pages' tables. */
    private Map<String, String> streetNames() {
        return refs.streets().stream().collect(java.util.stream.Collectors.toMap(s -> s.code, s -> s.name));
    }

    private String user() {
        return console.actor().username();
    }

    private boolean htmx() {
        return "true".equals(headers.getHeaderString("HX-Request"));
    }

    /** After a step run by htmx: the page to go to (HX-Redirect); a plain form post gets a 303. */
    private Response redirect(String path) {
        return htmx() ? Response.ok().header("HX-Redirect", path).build() : PageErrors.seeOther(path);
    }

    private static byte[] read(FileUpload u) {
        try {
            return Files.readAllBytes(u.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** JSON inside a script element: no data can close it. */
    static String script(String json) {
        return json.replace("<", "\\u003c");
    }

    // ---- errors: fragments for htmx requests, pages otherwise --------------------------------------

    @ServerExceptionMapper
    Response problem(ProblemException e) {
        Problem p = e.problem();
        return failed(p.status(), p.title(), p.detail(), p.errors(), List.of());
    }

    @ServerExceptionMapper
    Response rejected(RuleSetRejectedException e) {
        List<Problem.FieldError> none = List.of();
        return failed(422, "规则集未通过检查", e.getMessage(), none, e.problems());
    }

    @ServerExceptionMapper
    Response forbidden(ForbiddenException e) {
        if (htmx()) return failed(403, "无权操作", "当前账号的角色无权执行此操作。", List.of(), List.of());
        return errors.forbidden();
    }

    @ServerExceptionMapper
    Response unauthorized(UnauthorizedException e) {
        if (htmx()) return Response.ok().header("HX-Redirect", "/login").build();
        return errors.unauthorized();
    }

    private Response failed(int status, String title, String detail, List<Problem.FieldError> fieldErrors, List<RuleProblem> problems) {
        // As PageErrors: the page's forms (logout) need the browser's CSRF token; without one, leave them out.
        boolean forms = htmx() || CsrfFilter.adoptCookie(csrf, request);
        TemplateInstance t = htmx() ? problemFragment.instance() : console.page(failedPage, "rules");
        if (!forms) t.data("noForms", true);
        t.data("status", status).data("title", title).data("detail", detail)
                .data("fieldErrors", fieldErrors == null ? List.of() : fieldErrors).data("problems", problems == null ? List.of() : problems);
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(t.render()).build();
    }
}
