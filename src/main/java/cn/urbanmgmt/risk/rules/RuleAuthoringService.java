package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.common.Labelled;
import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.grading.RuleAudit;
import cn.urbanmgmt.risk.grading.RuleSetRuntime;
import cn.urbanmgmt.risk.grading.RuleSetVersion;
import cn.urbanmgmt.risk.grading.engine.DrlIndex;
import cn.urbanmgmt.risk.grading.engine.LoadedRules;
import cn.urbanmgmt.risk.grading.engine.RuleProblem;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import cn.urbanmgmt.risk.grading.engine.RuleText;
import cn.urbanmgmt.risk.jobs.Job;
import cn.urbanmgmt.risk.jobs.JobService;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.ReferenceData;
import cn.urbanmgmt.risk.registry.Street;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The rule author's loop on the running service, for every kind of rule set (grading, sampling:
 * see {@link RuleKind}): new candidate versions (from rules/ on disk or uploaded), validate, test,
 * simulate, activate, roll back, diff and export; every step is audited. A candidate that fails any
 * check never touches the active rule set. Methods without a kind are the grading loop's.
 */
@ApplicationScoped
public class RuleAuthoringService {

    private static final Pattern SEGMENTS = Pattern.compile("^([\\p{L}\\p{N}_\\-. ]+/)*[\\p{L}\\p{N}_\\-. ]+$");
    private static final Pattern REF = Pattern.compile("^[0-9a-f]{6,64}$");
    static final int MAX_FILES = 200;
    /** Largest rule or scenario file, in bytes of UTF-8 (a Chinese character is 3 bytes). */
    static final int MAX_FILE_BYTES = 1_000_000;

    @ConfigProperty(name = "app.rules.dir")
    String rulesDir;

    @Inject
    GradingRuleKind grading;

    @Inject
    Instance<RuleKind<?, ?>> kinds;

    @Inject
    JobService jobs;

    @Inject
    SimulationGate simulationGate;

    @Inject
    ReferenceData refs;

    // ---- views ----------------------------------------------------------------------------------

    /** {@code approval}: DRAFT, PROPOSED, APPROVED or RETURNED (four eyes, see {@link RuleReview}); who proposed and reviewed it. */
    public record VersionSummary(String version, String source, OffsetDateTime createdAt, String createdBy, String comment, boolean active,
                                 OffsetDateTime activatedAt, String activatedBy, int files, int tests, String approval, String approvalLabel,
                                 String proposedBy, OffsetDateTime proposedAt, String reviewedBy, OffsetDateTime reviewedAt, String reviewComment) {
        static VersionSummary of(RuleSetVersion v) {
            return new VersionSummary(v.hash, v.source, v.createdAt, v.createdBy, v.comment, v.active, v.activatedAt, v.activatedBy,
                    v.files.size(), v.tests == null ? 0 : v.tests.size(), v.approvalState, RuleReview.label(v.approvalState),
                    v.proposedBy, v.proposedAt, v.reviewedBy, v.reviewedAt, v.reviewComment);
        }
    }

    public record RuleInfo(String name, String file, int line) {
    }

    public record VersionDetail(VersionSummary version, List<String> files, List<String> tests, List<RuleInfo> rules) {
    }

    public record ValidationReport(String version, boolean ok, int errors, int warnings, long compileMillis, List<String> rules,
                                   List<RuleProblem> problems) {
    }

    public record TestReport<T extends ScenarioOutcome>(String version, boolean ok, int total, int passed, int failed, List<T> results,
                                                         List<RuleProblem> problems) {
    }

    /** A version read from disk or uploaded, and whether it is new, with its validation. */
    public record Stored(VersionSummary version, boolean created, ValidationReport validation) {
    }

    /** A switch to another version; {@code regrade} is the grading rules' full regrade (none for other kinds). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Activation(String version, String previous, RuleAudit.Action action, JobService.Progress regrade,
                             List<RuleProblem> warnings) {
    }

    public record Export(String version, Map<String, String> files, Map<String, String> tests) {
    }

    public record ActiveInfo(String version, String instanceVersion, boolean inSync, String degraded, VersionSummary details) {
    }

    public record AuditEntry(long id, OffsetDateTime at, String username, RuleAudit.Action action, String version, String previous,
                             RuleAudit.Outcome outcome, String comment, String summary, Map<String, Object> details) {
        static AuditEntry of(RuleAudit a) {
            return new AuditEntry(a.id, a.at, a.username, a.action, a.version, a.previous, a.outcome, a.comment, a.summary, a.details);
        }
    }

    public record SimulationRequest(String evaluationDate, String street, String category, String baseline) {
    }

    // ---- new versions -------------------------------------------------------------------------

    /** Reads the kind's rules and scenarios (e.g. rules/grading and rules/tests) from disk as a candidate version (stored, validated, not activated). */
    public Stored reload(RuleKind<?, ?> kind, String user, String comment) {
        RuleSource source;
        try {
            source = RuleSource.fromDirectory(Path.of(rulesDir), kind.folder());
        } catch (RuleSource.UnreadableFile e) {
            throw ProblemException.validation("规则目录中的文件有误", List.of(new Problem.FieldError(e.line(), "files." + e.file(), null, e.getMessage())));
        } catch (IllegalStateException | UncheckedIOException e) {
            throw ProblemException.conflict("无法读取规则目录 " + rulesDir + "：" + e.getMessage());
        }
        Stored stored = store(kind, source, user, comment == null || comment.isBlank() ? "从 " + rulesDir + " 重新读取" : comment, "DISK",
                RuleAudit.Action.RELOAD);
        if (stored.validation().ok() && kind.runtime().degradedReason() != null) kind.runtime().diskRulesRepaired();
        return stored;
    }

    public Stored reload(String user, String comment) {
        return reload(grading, user, comment);
    }

    /** Stores uploaded files (e.g. "grading/x.drl", "tests/x.yaml"; paths relative to rules/) as a candidate version. */
    public Stored upload(RuleKind<?, ?> kind, Map<String, String> files, String comment, String user) {
        String drlHint = kind.folder() + "/xxx.drl";
        String testHint = kind.testsFolder() + "/xxx.yaml";
        if (files == null || files.isEmpty()) {
            throw ProblemException.invalidField("files", "请上传至少一个规则文件，如 {\"files\": {\"" + kind.folder() + "/20-xxx.drl\": \"...\"}}");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        Map<String, String> drl = new TreeMap<>();
        Map<String, String> tests = new TreeMap<>();
        if (files.size() > MAX_FILES) errors.add(Problem.FieldError.of("files", "文件过多：最多 " + MAX_FILES + " 个"));
        files.forEach((path, text) -> {
            String field = "files." + path;
            RuleKind<?, ?> owner = path == null ? null : testsOwner(path);
            if (path == null || !SEGMENTS.matcher(path).matches() || path.contains("..")
                    || !(path.startsWith(kind.folder() + "/") || path.startsWith(kind.testsFolder() + "/"))) {
                errors.add(new Problem.FieldError(null, field, path, "文件路径应为 " + drlHint + " 或 " + testHint + "（相对于 rules/ 目录）"));
            } else if (owner != null && !owner.kind().equals(kind.kind())) {
                errors.add(new Problem.FieldError(null, field, path, owner.testsFolder() + "/ 下是" + owner.label() + "的测试场景，不属于"
                        + kind.label() + "：请上传到 " + owner.apiBase() + "/versions"));
            } else if (text == null) {
                errors.add(new Problem.FieldError(null, field, null, "文件内容不能为空值"));
            } else if (RuleText.utf8Length(text) > MAX_FILE_BYTES) {
                errors.add(new Problem.FieldError(null, field, null, "文件过大：" + RuleText.utf8Length(text) + " 字节，最多 " + MAX_FILE_BYTES
                        + " 字节（按 UTF-8 计，一个汉字 3 字节）"));
            } else if (cn.urbanmgmt.risk.common.TextRules.firstControl(text, true) >= 0) {
                // A zip or form upload (JSON strings are refused earlier): no control characters in a text file.
                int at = cn.urbanmgmt.risk.common.TextRules.firstControl(text, true);
                int line = 1 + (int) text.substring(0, at).chars().filter(ch -> ch == '\n').count();
                errors.add(new Problem.FieldError(line, field, null, "第 " + line + " 行"
                        + cn.urbanmgmt.risk.common.TextRules.controlMessage(text, at).replaceFirst("（第 \\d+ 个字符）", "")));
            } else if (path.startsWith(kind.folder() + "/") && path.endsWith(".drl")) {
                drl.put(path, text);
            } else if (path.startsWith(kind.testsFolder() + "/") && (path.endsWith(".yaml") || path.endsWith(".yml"))) {
                tests.put(path, text);
            } else {
                errors.add(new Problem.FieldError(null, field, path, "规则文件应以 .drl 结尾并放在 " + kind.folder() + "/ 下，测试场景应以 .yaml 结尾并放在 "
                        + kind.testsFolder() + "/ 下"));
            }
        });
        if (errors.isEmpty() && drl.isEmpty()) errors.add(Problem.FieldError.of("files", "上传的文件中没有 " + kind.folder() + "/ 下的 .drl 规则文件"));
        if (comment != null && comment.length() > 1000) errors.add(Problem.FieldError.of("comment", "说明不能超过 1000 个字符"));
        if (!errors.isEmpty()) throw ProblemException.validation("上传的文件有误，请更正后重试", errors);
        return store(kind, RuleSource.of(drl, tests), user, comment, "UPLOAD", RuleAudit.Action.UPLOAD);
    }

    public Stored upload(Map<String, String> files, String comment, String user) {
        return upload(grading, files, comment, user);
    }

    /** The kind whose scenario folder holds {@code path} most specifically (tests/sampling/x.yaml: sampling), or null. */
    private RuleKind<?, ?> testsOwner(String path) {
        RuleKind<?, ?> owner = null;
        for (RuleKind<?, ?> k : kinds) {
            if (path.startsWith(k.testsFolder() + "/") && (owner == null || k.testsFolder().length() > owner.testsFolder().length())) owner = k;
        }
        return owner;
    }

    /**
     * Reads a zip (as exported: e.g. grading/..., tests/..., optionally under a rules/ folder); other
     * files, and other kinds' scenarios, are ignored: a zip of the whole rules/ folder works for each kind.
     */
    public Stored uploadZip(RuleKind<?, ?> kind, byte[] zip, String comment, String user) {
        Map<String, String> files = new LinkedHashMap<>();
        List<Problem.FieldError> errors = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            ZipEntry e;
            int entries = 0;
            while ((e = in.getNextEntry()) != null) {
                if (++entries > MAX_FILES * 5) throw ProblemException.badRequest("压缩包中的文件过多");
                if (e.isDirectory()) continue;
                String name = e.getName().replace('\\', '/').replaceFirst("^(\\./)?(rules/)?", "");
                boolean rules = name.startsWith(kind.folder() + "/");
                boolean tests = name.startsWith(kind.testsFolder() + "/") && testsOwner(name).kind().equals(kind.kind());
                if (!rules && !tests) continue;
                byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
                if (bytes.length > MAX_FILE_BYTES) {
                    errors.add(new Problem.FieldError(null, "files." + name, null, "文件过大：超过 " + MAX_FILE_BYTES + " 字节"));
                    continue;
                }
                try {
                    files.put(name, RuleText.decode(bytes));
                } catch (RuleText.InvalidUtf8 ex) {
                    errors.add(new Problem.FieldError(ex.line(), "files." + name, null, "文件" + ex.getMessage()));
                }
            }
        } catch (IOException | IllegalArgumentException ex) {
            throw ProblemException.badRequest("上传的内容不是有效的 zip 压缩包：" + ex.getMessage());
        }
        if (!errors.isEmpty()) throw ProblemException.validation("压缩包中的文件有误", errors);
        return upload(kind, files, comment, user);
    }

    public Stored uploadZip(byte[] zip, String comment, String user) {
        return uploadZip(grading, zip, comment, user);
    }

    private <R extends LoadedRules> Stored store(RuleKind<R, ?> kind, RuleSource source, String user, String comment, String origin,
                                                 RuleAudit.Action action) {
        RuleSetRuntime.Compiled<R> result = kind.runtime().compile(source);
        keepReady(kind, result);
        ValidationReport validation = report(source.hash(), result, source);
        boolean[] created = {false};
        RuleSetVersion v = QuarkusTransaction.requiringNew().call(() -> {
            RuleSetVersion existing = RuleSetVersion.findById(source.hash());
            if (existing != null && !existing.kind.equals(kind.kind())) {
                throw ProblemException.conflict("这些文件已作为另一类规则（" + existing.kind + "）的版本保存过");
            }
            created[0] = existing == null;
            RuleSetVersion stored = RuleSetRuntime.store(kind.kind(), source, user, comment, origin);
            RuleAudit.record(kind.kind(), user, action, source.hash(), null, validation.ok() ? RuleAudit.Outcome.OK : RuleAudit.Outcome.FAILED,
                    comment, (created[0] ? "新版本" : "已有版本") + "，" + summary(validation), details(validation.problems()));
            return stored;
        });
        return new Stored(VersionSummary.of(v), created[0], validation);
    }

    /** A version that compiled is kept ready: testing, simulating or activating it next needs no new build. */
    private static <R extends LoadedRules> void keepReady(RuleKind<R, ?> kind, RuleSetRuntime.Compiled<R> result) {
        if (result.rules() == null) return;
        kind.runtime().offer(result.rules());
        result.rules().release();
    }

    // ---- the loop ---------------------------------------------------------------------------------

    /** Compiles a stored version and reports every problem; audited, changes nothing else. */
    public <R extends LoadedRules> ValidationReport validate(RuleKind<R, ?> kind, String ref, String user) {
        RuleSetVersion v = find(kind, ref);
        RuleSource source = v.toSource();
        RuleSetRuntime.Compiled<R> result = kind.runtime().compile(source);
        keepReady(kind, result);
        ValidationReport report = report(v.hash, result, source);
        audit(kind, user, RuleAudit.Action.VALIDATE, v.hash, null, report.ok(), null, summary(report), details(report.problems()));
        return report;
    }

    /** Runs the version's scenarios against it; audited. */
    public <R extends LoadedRules, T extends ScenarioOutcome> TestReport<T> test(RuleKind<R, T> kind, String ref, String user) {
        RuleSetVersion v = find(kind, ref);
        RuleSource source = v.toSource();
        R rules = kind.runtime().cached(v.hash);
        List<RuleProblem> compileProblems = List.of();
        if (rules == null) {
            RuleSetRuntime.Compiled<R> result = kind.runtime().compile(source);
            compileProblems = result.problems();
            rules = result.rules();
            if (rules != null) kind.runtime().offer(rules);
        }
        TestReport<T> report;
        boolean compiled = rules != null;
        if (!compiled) {
            report = new TestReport<>(v.hash, false, 0, 0, 0, List.of(), compileProblems);
        } else {
            try {
                ScenarioReport<T> r = kind.runScenarios(source, rules);
                report = new TestReport<>(v.hash, r.ok(), r.total(), r.passed(), r.failed(), r.results(), r.problems());
            } finally {
                rules.release();
            }
        }
        String summary = !compiled ? "规则无法编译，未运行测试场景" : report.total() == 0 && report.problems().isEmpty() ? "没有测试场景"
                : "测试场景 " + report.passed() + "/" + report.total() + " 通过" + (report.problems().isEmpty() ? "" : "，场景文件有 " + report.problems().size() + " 处错误");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("total", report.total());
        details.put("failed", report.results().stream().filter(r -> !r.passed()).map(ScenarioOutcome::name).toList());
        audit(kind, user, RuleAudit.Action.TEST, v.hash, null, report.ok() && report.total() > 0, null, summary, details);
        return report;
    }

    /** Starts a simulation job of a grading version against every merchant (or a street / category). */
    public JobService.Progress simulate(String ref, SimulationRequest request, String user) {
        RuleSetVersion v = find(grading, ref);
        SimulationRequest r = request == null ? new SimulationRequest(null, null, null, null) : request;
        LocalDate date = LocalDate.now(EventService.ZONE);
        if (r.evaluationDate() != null && !r.evaluationDate().isBlank()) {
            try {
                date = LocalDate.parse(r.evaluationDate().trim());
            } catch (DateTimeParseException e) {
                throw ProblemException.invalidField("evaluationDate", "评级日期“" + r.evaluationDate() + "”格式不正确，应为 yyyy-MM-dd");
            }
        }
        String street = null;
        if (r.street() != null && !r.street().isBlank()) {
            Street s = refs.resolveStreet(r.street());
            if (s == null) throw ProblemException.invalidField("street", "街镇“" + r.street() + "”不存在，可选：" + refs.allowedStreets());
            street = s.code;
        }
        MerchantCategory category = null;
        if (r.category() != null && !r.category().isBlank()) {
            category = Labelled.parse(MerchantCategory.class, r.category());
            if (category == null) {
                throw ProblemException.invalidField("category", "行业类别“" + r.category() + "”不存在，可选：" + Labelled.allowed(MerchantCategory.class));
            }
        }
        String baselineMode = r.baseline() == null || r.baseline().isBlank() ? "ACTIVE" : r.baseline().trim().toUpperCase();
        if (!baselineMode.equals("ACTIVE") && !baselineMode.equals("STORED")) {
            throw ProblemException.invalidField("baseline", "对比基准应为 ACTIVE（用生效规则在同一日期重新评级）或 STORED（当前保存的等级）");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("evaluationDate", date.toString());
        params.put("street", street);
        params.put("category", category == null ? null : category.name());
        return startSimulation(grading, v.hash, SimulationJob.TYPE, baselineMode.equals("ACTIVE"), params, user);
    }

    /**
     * Starts a simulation job of a stored version ({@code params} as the kind's job reads them, plus
     * "candidate" and "baseline": the active version, or null when {@code againstActive} is false).
     * The version must compile (else 422, audited); the job is audited when it starts and when it ends.
     */
    public <R extends LoadedRules> JobService.Progress startSimulation(RuleKind<R, ?> kind, String ref, String jobType, boolean againstActive,
                                                                       Map<String, Object> params, String user) {
        RuleSetVersion v = find(kind, ref);
        R ready = kind.runtime().cached(v.hash);
        if (ready != null) {
            ready.release();
        } else {
            RuleSetRuntime.Compiled<R> result = kind.runtime().compile(v.toSource());
            if (!result.ok()) {
                audit(kind, user, RuleAudit.Action.SIMULATE, v.hash, null, false, null, "规则无法编译，未启动模拟", details(result.problems()));
                throw new RuleSetRejectedException(v.hash, "版本 " + shortHash(v.hash) + " 无法编译，不能模拟：" + result.errors().size() + " 个错误", result.problems());
            }
            keepReady(kind, result);
        }
        String baseline = againstActive ? activeHash(kind) : null;
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("candidate", v.hash);
        all.put("baseline", baseline);
        all.putAll(params);
        Job job = jobs.create(jobType, user, all, null);
        audit(kind, user, RuleAudit.Action.SIMULATE, v.hash, baseline, true, null, "模拟已启动（任务 #" + job.id + "）", Map.of("jobId", job.id));
        return jobs.progress(job);
    }

    /** Makes a version active: it must compile and pass its scenarios; the kind's follow-up (grading: the regrade job) follows. */
    public Activation activate(RuleKind<?, ?> kind, String ref, String comment, String user) {
        return switchTo(kind, find(kind, ref), comment, user, RuleAudit.Action.ACTIVATE);
    }

    public Activation activate(String ref, String comment, String user) {
        return activate(grading, ref, comment, user);
    }

    /** Goes back to {@code ref}, or (null) to the version that was active before the current one; same checks as activation. */
    public Activation rollback(RuleKind<?, ?> kind, String ref, String comment, String user) {
        RuleSetVersion target;
        if (ref == null || ref.isBlank()) {
            String hash = kind.runtime().rollbackTarget();
            if (hash == null) throw ProblemException.conflict("没有更早生效过的版本可以回滚");
            target = find(kind, hash);
        } else {
            target = find(kind, ref);
        }
        return switchTo(kind, target, comment, user, RuleAudit.Action.ROLLBACK);
    }

    public Activation rollback(String ref, String comment, String user) {
        return rollback(grading, ref, comment, user);
    }

    private <R extends LoadedRules> Activation switchTo(RuleKind<R, ?> kind, RuleSetVersion v, String comment, String user, RuleAudit.Action action) {
        if (comment == null || comment.isBlank()) {
            throw ProblemException.invalidField("comment", "请填写说明（为什么" + (action == RuleAudit.Action.ROLLBACK ? "回滚" : "启用") + "这个版本），它会记入审计日志");
        }
        if (comment.length() > 1000) throw ProblemException.invalidField("comment", "说明不能超过 1000 个字符");
        String current = activeHash(kind);
        if (v.hash.equals(current)) throw ProblemException.conflict("版本 " + shortHash(v.hash) + " 已经是生效版本");
        RuleSetRuntime.Candidate<R> candidate = kind.runtime().check(v.toSource());
        String verb = action == RuleAudit.Action.ROLLBACK ? "回滚" : "启用";
        if (!candidate.ok()) {
            audit(kind, user, action, v.hash, current, false, comment, verb + "被拒绝：" + candidate.errors().size() + " 个错误，生效的" + kind.setName() + "没有改变",
                    details(candidate.problems()));
            throw new RuleSetRejectedException(v.hash, "版本 " + shortHash(v.hash) + " 未通过检查（" + candidate.errors().size()
                    + " 个错误），不能" + verb + "；生效的" + kind.setName() + "没有改变", candidate.problems());
        }
        if (action == RuleAudit.Action.ACTIVATE) {
            SimulationGate.Verdict verdict = simulationGate.check(kind, v.toSource());
            if (!verdict.ok()) {
                candidate.rules().release();
                audit(kind, user, action, v.hash, current, false, comment, "启用被拒绝：" + verdict.detail(), details(verdict.problems()));
                throw new RuleSetRejectedException(v.hash, verdict.detail() + "；生效的" + kind.setName() + "没有改变", verdict.problems());
            }
        }
        String unapproved = RuleReview.refusalToSwitch(kind, v, action);
        if (unapproved != null) {
            candidate.rules().release();
            audit(kind, user, action, v.hash, current, false, comment, verb + "被拒绝：" + unapproved, null);
            throw ProblemException.conflict(unapproved + "；生效的" + kind.setName() + "没有改变");
        }
        Long[] job = {null};
        List<RuleProblem> warnings = candidate.problems().stream().filter(p -> !p.isError()).toList();
        String previous = kind.runtime().activate(candidate, user, prev -> {
            job[0] = kind.afterSwitch(user, v.hash, verb);
            Map<String, Object> details = new LinkedHashMap<>();
            if (job[0] != null) details.put("regradeJob", job[0]);
            details.put("warnings", warnings.size());
            RuleAudit.record(kind.kind(), user, action, v.hash, prev, RuleAudit.Outcome.OK, comment,
                    verb + "版本 " + shortHash(v.hash) + "（原生效版本 " + shortHash(prev) + "）" + kind.switchSummary(job[0]), details);
        });
        JobService.Progress followUp = job[0] == null ? null : QuarkusTransaction.requiringNew().call(() -> jobs.progress(job[0]));
        return new Activation(v.hash, previous, action, followUp, warnings);
    }

    // ---- reading ----------------------------------------------------------------------------------

    /**
     * The {@code limit} most recently uploaded versions (a version uploaded again, same content, counts from its
     * latest upload), then every version that is or was active and is older: an author always sees them.
     */
    @SuppressWarnings("unchecked")
    public List<VersionSummary> versions(RuleKind<?, ?> kind, int limit) {
        List<RuleSetVersion> newest = RuleSetVersion.getEntityManager().createNativeQuery("""
                select v.* from rule_set_version v where v.kind = ?1
                order by greatest(v.created_at, coalesce((select max(a.at) from rule_audit a
                    where a.version = v.hash and a.action = 'UPLOAD'), v.created_at)) desc, v.created_at desc
                limit ?2""", RuleSetVersion.class).setParameter(1, kind.kind()).setParameter(2, limit).getResultList();
        List<VersionSummary> out = new ArrayList<>(newest.stream().map(VersionSummary::of).toList());
        // Every version that is or was active stays listed (newest activation first): they are what a rollback
        // or an audit looks for, however many candidates were uploaded since.
        java.util.Set<String> listed = new java.util.HashSet<>();
        newest.forEach(v -> listed.add(v.hash));
        for (RuleSetVersion v : RuleSetVersion.<RuleSetVersion>find("kind = ?1 and (active = true or activatedAt is not null) "
                + "order by active desc, activatedAt desc nulls last", kind.kind()).list()) {
            if (listed.add(v.hash)) out.add(VersionSummary.of(v));
        }
        return out;
    }

    public VersionDetail version(RuleKind<?, ?> kind, String ref) {
        RuleSetVersion v = find(kind, ref);
        List<RuleInfo> rules = DrlIndex.of(v.files).rules().stream().map(r -> new RuleInfo(r.name(), r.file(), r.line())).toList();
        return new VersionDetail(VersionSummary.of(v), List.copyOf(v.files.keySet()), v.tests == null ? List.of() : List.copyOf(v.tests.keySet()), rules);
    }

    public Export export(RuleKind<?, ?> kind, String ref) {
        RuleSetVersion v = find(kind, ref);
        return new Export(v.hash, new TreeMap<>(v.files), new TreeMap<>(v.tests == null ? Map.of() : v.tests));
    }

    /** The version as a zip: e.g. grading/... and tests/..., ready to unpack into rules/. */
    public byte[] exportZip(RuleKind<?, ?> kind, String ref) {
        Export e = export(kind, ref);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            Map<String, String> all = new TreeMap<>(e.files());
            all.putAll(e.tests());
            for (Map.Entry<String, String> f : all.entrySet()) {
                zip.putNextEntry(new ZipEntry(f.getKey()));
                zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    public RuleDiff.Result diff(RuleKind<?, ?> kind, String from, String to) {
        RuleSetVersion a = find(kind, from, "from");
        RuleSetVersion b = find(kind, to, "to");
        return RuleDiff.diff(a.hash, a.files, a.tests == null ? Map.of() : a.tests, b.hash, b.files, b.tests == null ? Map.of() : b.tests);
    }

    public List<AuditEntry> audit(RuleKind<?, ?> kind, String ref, RuleAudit.Action action, int limit) {
        StringBuilder q = new StringBuilder("kind = :kind");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("kind", kind.kind());
        if (ref != null && !ref.isBlank()) {
            q.append(" and version = :version");
            params.put("version", find(kind, ref).hash);
        }
        if (action != null) {
            q.append(" and action = :action");
            params.put("action", action);
        }
        q.append(" order by at desc, id desc");
        return RuleAudit.<RuleAudit>find(q.toString(), params).range(0, limit - 1).list().stream().map(AuditEntry::of).toList();
    }

    public ActiveInfo active(RuleKind<?, ?> kind) {
        RuleSetVersion v = RuleSetVersion.active(kind.kind());
        LoadedRules here = kind.runtime().activeHere();
        String hereVersion = here == null ? null : here.version();
        return new ActiveInfo(v == null ? null : v.hash, hereVersion, v != null && v.hash.equals(hereVersion), kind.runtime().degradedReason(),
                v == null ? null : VersionSummary.of(v));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    RuleSetVersion find(RuleKind<?, ?> kind, String ref) {
        return find(kind, ref, "version");
    }

    /** A version of this kind by full hash or unique prefix (at least 6 hex digits). */
    public RuleSetVersion find(RuleKind<?, ?> kind, String ref, String field) {
        if (ref == null || !REF.matcher(ref.trim().toLowerCase()).matches()) {
            throw ProblemException.invalidField(field, "版本号应为 6 到 64 位十六进制字符（完整版本号或其开头部分）");
        }
        String r = ref.trim().toLowerCase();
        List<RuleSetVersion> found = QuarkusTransaction.requiringNew().call(() -> r.length() == 64
                ? java.util.Optional.ofNullable(RuleSetVersion.<RuleSetVersion>findById(r)).filter(v -> v.kind.equals(kind.kind())).map(List::of).orElse(List.of())
                : RuleSetVersion.<RuleSetVersion>list("hash like ?1 and kind = ?2", r + "%", kind.kind()));
        if (found.isEmpty()) throw ProblemException.notFound(kind.setName() + "版本 " + r + " 不存在");
        if (found.size() > 1) throw ProblemException.invalidField(field, "版本号前缀 " + r + " 对应多个版本，请写得更长一些");
        return found.get(0);
    }

    private static String activeHash(RuleKind<?, ?> kind) {
        return QuarkusTransaction.requiringNew().call(() -> {
            RuleSetVersion v = RuleSetVersion.active(kind.kind());
            return v == null ? null : v.hash;
        });
    }

    private static ValidationReport report(String version, RuleSetRuntime.Compiled<?> result, RuleSource source) {
        List<String> names = DrlIndex.of(source.files()).rules().stream().map(DrlIndex.RuleBlock::name).toList();
        return new ValidationReport(version, result.ok(), result.errors().size(), result.warnings().size(), result.millis(), names,
                result.problems());
    }

    private static String summary(ValidationReport r) {
        return r.ok() ? "编译通过（" + r.rules().size() + " 条规则，" + r.warnings() + " 个警告，" + r.compileMillis() + " 毫秒）"
                : "编译未通过：" + r.errors() + " 个错误，" + r.warnings() + " 个警告";
    }

    private static Map<String, Object> details(List<RuleProblem> problems) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("problems", problems.stream().limit(50).map(RuleProblem::describe).toList());
        return d;
    }

    private static void audit(RuleKind<?, ?> kind, String user, RuleAudit.Action action, String version, String previous, boolean ok,
                              String comment, String summary, Map<String, Object> details) {
        QuarkusTransaction.requiringNew().run(() -> RuleAudit.record(kind.kind(), user, action, version, previous,
                ok ? RuleAudit.Outcome.OK : RuleAudit.Outcome.FAILED, comment, summary, details));
    }

    static String shortHash(String hash) {
        return RuleSetRuntime.shortHash(hash);
    }
}
