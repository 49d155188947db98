package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.common.Labelled;
import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.grading.RegradeJob;
import cn.urbanmgmt.risk.grading.RuleAudit;
import cn.urbanmgmt.risk.grading.RuleSetService;
import cn.urbanmgmt.risk.grading.RuleSetVersion;
import cn.urbanmgmt.risk.grading.engine.CompiledRules;
import cn.urbanmgmt.risk.grading.engine.DrlIndex;
import cn.urbanmgmt.risk.grading.engine.GradingEngine;
import cn.urbanmgmt.risk.grading.engine.RuleCompiler;
import cn.urbanmgmt.risk.grading.engine.RuleProblem;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import cn.urbanmgmt.risk.jobs.Job;
import cn.urbanmgmt.risk.jobs.JobService;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.ReferenceData;
import cn.urbanmgmt.risk.registry.Street;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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
 * The rule author's loop on the running service: new candidate versions (from rules/ on disk or
 * uploaded), validate, test, simulate, activate, roll back, diff and export; every step is audited.
 * A candidate that fails any check never touches the active rule set.
 */
@ApplicationScoped
public class RuleAuthoringService {

    private static final Pattern PATH = Pattern.compile("^(grading|tests)/([\\p{L}\\p{N}_\\-. ]+/)*[\\p{L}\\p{N}_\\-. ]+$");
    private static final Pattern REF = Pattern.compile("^[0-9a-f]{6,64}$");
    static final int MAX_FILES = 200;
    static final int MAX_FILE_CHARS = 1_000_000;

    @ConfigProperty(name = "app.rules.dir")
    String rulesDir;

    @Inject
    RuleSetService ruleSets;

    @Inject
    GradingEngine engine;

    @Inject
    RegradeJob regrade;

    @Inject
    JobService jobs;

    @Inject
    ReferenceData refs;

    // ---- views ----------------------------------------------------------------------------------

    public record VersionSummary(String version, String source, OffsetDateTime createdAt, String createdBy, String comment, boolean active,
                                 OffsetDateTime activatedAt, String activatedBy, int files, int tests) {
        static VersionSummary of(RuleSetVersion v) {
            return new VersionSummary(v.hash, v.source, v.createdAt, v.createdBy, v.comment, v.active, v.activatedAt, v.activatedBy,
                    v.files.size(), v.tests == null ? 0 : v.tests.size());
        }
    }

    public record RuleInfo(String name, String file, int line) {
    }

    public record VersionDetail(VersionSummary version, List<String> files, List<String> tests, List<RuleInfo> rules) {
    }

    public record ValidationReport(String version, boolean ok, int errors, int warnings, long compileMillis, List<String> rules,
                                   List<RuleProblem> problems) {
    }

    public record TestReport(String version, boolean ok, int total, int passed, int failed, List<ScenarioRunner.Result> results,
                             List<RuleProblem> problems) {
    }

    /** A version read from disk or uploaded, and whether it is new, with its validation. */
    public record Stored(VersionSummary version, boolean created, ValidationReport validation) {
    }

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

    /** Reads rules/grading and rules/tests from disk as a candidate version (stored, validated, not activated). */
    public Stored reload(String user, String comment) {
        RuleSource source;
        try {
            source = RuleSource.fromDirectory(Path.of(rulesDir), RuleSetService.GRADING);
        } catch (IllegalStateException | UncheckedIOException e) {
            throw ProblemException.conflict("无法读取规则目录 " + rulesDir + "：" + e.getMessage());
        }
        Stored stored = store(source, user, comment == null || comment.isBlank() ? "从 " + rulesDir + " 重新读取" : comment, "DISK", RuleAudit.Action.RELOAD);
        if (stored.validation().ok() && ruleSets.degradedReason() != null) ruleSets.diskRulesRepaired();
        return stored;
    }

    /** Stores uploaded files ("grading/x.drl", "tests/x.yaml") as a candidate version. */
    public Stored upload(Map<String, String> files, String comment, String user) {
        if (files == null || files.isEmpty()) {
            throw ProblemException.invalidField("files", "请上传至少一个规则文件，如 {\"files\": {\"grading/20-cases.drl\": \"...\"}}");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        Map<String, String> drl = new TreeMap<>();
        Map<String, String> tests = new TreeMap<>();
        if (files.size() > MAX_FILES) errors.add(Problem.FieldError.of("files", "文件过多：最多 " + MAX_FILES + " 个"));
        files.forEach((path, text) -> {
            String field = "files." + path;
            if (path == null || !PATH.matcher(path).matches() || path.contains("..")) {
                errors.add(new Problem.FieldError(null, field, path, "文件路径应为 grading/xxx.drl 或 tests/xxx.yaml（相对于 rules/ 目录）"));
            } else if (text == null) {
                errors.add(new Problem.FieldError(null, field, null, "文件内容不能为空值"));
            } else if (text.length() > MAX_FILE_CHARS) {
                errors.add(new Problem.FieldError(null, field, null, "文件过大：最多 " + MAX_FILE_CHARS + " 个字符"));
            } else if (path.startsWith("grading/") && path.endsWith(".drl")) {
                drl.put(path, text);
            } else if (path.startsWith("tests/") && (path.endsWith(".yaml") || path.endsWith(".yml"))) {
                tests.put(path, text);
            } else {
                errors.add(new Problem.FieldError(null, field, path, "规则文件应以 .drl 结尾并放在 grading/ 下，测试场景应以 .yaml 结尾并放在 tests/ 下"));
            }
        });
        if (errors.isEmpty() && drl.isEmpty()) errors.add(Problem.FieldError.of("files", "上传的文件中没有 grading/ 下的 .drl 规则文件"));
        if (comment != null && comment.length() > 1000) errors.add(Problem.FieldError.of("comment", "说明不能超过 1000 个字符"));
        if (!errors.isEmpty()) throw ProblemException.validation("上传的文件有误，请更正后重试", errors);
        return store(RuleSource.of(drl, tests), user, comment, "UPLOAD", RuleAudit.Action.UPLOAD);
    }

    /** Reads a zip (as exported: grading/..., tests/..., optionally under a rules/ folder); other files are ignored. */
    public Stored uploadZip(byte[] zip, String comment, String user) {
        Map<String, String> files = new LinkedHashMap<>();
        List<Problem.FieldError> errors = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            ZipEntry e;
            int entries = 0;
            while ((e = in.getNextEntry()) != null) {
                if (++entries > MAX_FILES * 5) throw ProblemException.badRequest("压缩包中的文件过多");
                if (e.isDirectory()) continue;
                String name = e.getName().replace('\\', '/').replaceFirst("^(\\./)?(rules/)?", "");
                if (!name.startsWith("grading/") && !name.startsWith("tests/")) continue;
                byte[] bytes = in.readNBytes(MAX_FILE_CHARS * 4 + 1);
                if (bytes.length > MAX_FILE_CHARS * 4) {
                    errors.add(new Problem.FieldError(null, "files." + name, null, "文件过大"));
                    continue;
                }
                try {
                    files.put(name, StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .decode(java.nio.ByteBuffer.wrap(bytes)).toString());
                } catch (CharacterCodingException ex) {
                    errors.add(new Problem.FieldError(null, "files." + name, null, "文件不是 UTF-8 编码的文本"));
                }
            }
        } catch (IOException | IllegalArgumentException ex) {
            throw ProblemException.badRequest("上传的内容不是有效的 zip 压缩包：" + ex.getMessage());
        }
        if (!errors.isEmpty()) throw ProblemException.validation("压缩包中的文件有误", errors);
        return upload(files, comment, user);
    }

    private Stored store(RuleSource source, String user, String comment, String origin, RuleAudit.Action action) {
        RuleCompiler.Result result = RuleCompiler.compile(source);
        keepReady(result);
        ValidationReport validation = report(source.hash(), result, source);
        boolean[] created = {false};
        RuleSetVersion v = QuarkusTransaction.requiringNew().call(() -> {
            created[0] = RuleSetVersion.findById(source.hash()) == null;
            RuleSetVersion stored = RuleSetService.store(source, user, comment, origin);
            RuleAudit.record(user, action, source.hash(), null, validation.ok() ? RuleAudit.Outcome.OK : RuleAudit.Outcome.FAILED, comment,
                    (created[0] ? "新版本" : "已有版本") + "，" + summary(validation), details(validation.problems()));
            return stored;
        });
        return new Stored(VersionSummary.of(v), created[0], validation);
    }

    /** A version that compiled is kept ready: testing, simulating or activating it next needs no new build. */
    private void keepReady(RuleCompiler.Result result) {
        if (result.rules() == null) return;
        ruleSets.offer(result.rules());
        result.rules().release();
    }

    // ---- the loop ---------------------------------------------------------------------------------

    /** Compiles a stored version and reports every problem; audited, changes nothing else. */
    public ValidationReport validate(String ref, String user) {
        RuleSetVersion v = find(ref);
        RuleSource source = v.toSource();
        RuleCompiler.Result result = RuleCompiler.compile(source);
        keepReady(result);
        ValidationReport report = report(v.hash, result, source);
        audit(user, RuleAudit.Action.VALIDATE, v.hash, null, report.ok(), null, summary(report), details(report.problems()));
        return report;
    }

    /** Runs the version's scenarios against it; audited. */
    public TestReport test(String ref, String user) {
        RuleSetVersion v = find(ref);
        RuleSource source = v.toSource();
        CompiledRules rules = ruleSets.cached(v.hash);
        List<RuleProblem> compileProblems = List.of();
        if (rules == null) {
            RuleCompiler.Result result = RuleCompiler.compile(source);
            compileProblems = result.problems();
            rules = result.rules();
            if (rules != null) ruleSets.offer(rules);
        }
        TestReport report;
        boolean compiled = rules != null;
        if (!compiled) {
            report = new TestReport(v.hash, false, 0, 0, 0, List.of(), compileProblems);
        } else {
            try {
                ScenarioRunner.Report r = ScenarioRunner.run(source, rules);
                report = new TestReport(v.hash, r.ok(), r.total(), r.passed(), r.failed(), r.results(), r.problems());
            } finally {
                rules.release();
            }
        }
        String summary = !compiled ? "规则无法编译，未运行测试场景" : report.total() == 0 && report.problems().isEmpty() ? "没有测试场景"
                : "测试场景 " + report.passed() + "/" + report.total() + " 通过" + (report.problems().isEmpty() ? "" : "，场景文件有 " + report.problems().size() + " 处错误");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("total", report.total());
        details.put("failed", report.results().stream().filter(r -> !r.passed()).map(ScenarioRunner.Result::name).toList());
        audit(user, RuleAudit.Action.TEST, v.hash, null, report.ok() && report.total() > 0, null, summary, details);
        return report;
    }

    /** Starts a simulation job of a version against every merchant (or a street / category). */
    public JobService.Progress simulate(String ref, SimulationRequest request, String user) {
        RuleSetVersion v = find(ref);
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
        CompiledRules ready = ruleSets.cached(v.hash);
        if (ready != null) {
            ready.release();
        } else {
            RuleCompiler.Result result = RuleCompiler.compile(v.toSource());
            if (!result.ok()) {
                audit(user, RuleAudit.Action.SIMULATE, v.hash, null, false, null, "规则无法编译，未启动模拟", details(result.problems()));
                throw new RuleSetRejectedException(v.hash, "版本 " + shortHash(v.hash) + " 无法编译，不能模拟：" + result.errors().size() + " 个错误", result.problems());
            }
            keepReady(result);
        }
        String baseline = baselineMode.equals("ACTIVE") ? activeHash() : null;
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("candidate", v.hash);
        params.put("baseline", baseline);
        params.put("evaluationDate", date.toString());
        params.put("street", street);
        params.put("category", category == null ? null : category.name());
        Job job = jobs.create(SimulationJob.TYPE, user, params, null);
        audit(user, RuleAudit.Action.SIMULATE, v.hash, baseline, true, null, "模拟已启动（任务 #" + job.id + "）", Map.of("jobId", job.id));
        return jobs.progress(job);
    }

    /** Makes a version active: it must compile and pass its scenarios; the regrade job follows. */
    public Activation activate(String ref, String comment, String user) {
        return switchTo(find(ref), comment, user, RuleAudit.Action.ACTIVATE);
    }

    /** Goes back to {@code ref}, or (null) to the version that was active before the current one; same checks as activation. */
    public Activation rollback(String ref, String comment, String user) {
        RuleSetVersion target;
        if (ref == null || ref.isBlank()) {
            target = QuarkusTransaction.requiringNew().call(() -> RuleSetVersion.<RuleSetVersion>find(
                    "kind = ?1 and active = false and activatedAt is not null order by activatedAt desc", RuleSetService.KIND).firstResult());
            if (target == null) throw ProblemException.conflict("没有更早生效过的版本可以回滚");
        } else {
            target = find(ref);
        }
        return switchTo(target, comment, user, RuleAudit.Action.ROLLBACK);
    }

    private Activation switchTo(RuleSetVersion v, String comment, String user, RuleAudit.Action action) {
        if (comment == null || comment.isBlank()) {
            throw ProblemException.invalidField("comment", "请填写说明（为什么" + (action == RuleAudit.Action.ROLLBACK ? "回滚" : "启用") + "这个版本），它会记入审计日志");
        }
        if (comment.length() > 1000) throw ProblemException.invalidField("comment", "说明不能超过 1000 个字符");
        String current = activeHash();
        if (v.hash.equals(current)) throw ProblemException.conflict("版本 " + shortHash(v.hash) + " 已经是生效版本");
        RuleSetService.Candidate candidate = ruleSets.check(v.toSource());
        String verb = action == RuleAudit.Action.ROLLBACK ? "回滚" : "启用";
        if (!candidate.ok()) {
            audit(user, action, v.hash, current, false, comment, verb + "被拒绝：" + candidate.errors().size() + " 个错误，生效的规则集没有改变",
                    details(candidate.problems()));
            throw new RuleSetRejectedException(v.hash, "版本 " + shortHash(v.hash) + " 未通过检查（" + candidate.errors().size()
                    + " 个错误），不能" + verb + "；生效的规则集没有改变", candidate.problems());
        }
        long[] job = {0};
        List<RuleProblem> warnings = candidate.problems().stream().filter(p -> !p.isError()).toList();
        String previous = ruleSets.activate(candidate, user, prev -> {
            // The regrade job is created in the activation's transaction: both happen, or neither.
            job[0] = regrade.start(user, LocalDate.now(EventService.ZONE), "规则" + verb + " " + shortHash(v.hash) + "（" + user + "）", null).id;
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("regradeJob", job[0]);
            details.put("warnings", warnings.size());
            RuleAudit.record(user, action, v.hash, prev, RuleAudit.Outcome.OK, comment,
                    verb + "版本 " + shortHash(v.hash) + "（原生效版本 " + shortHash(prev) + "），已启动全量重新评级任务 #" + job[0], details);
        });
        return new Activation(v.hash, previous, action, QuarkusTransaction.requiringNew().call(() -> jobs.progress(job[0])), warnings);
    }

    // ---- reading ----------------------------------------------------------------------------------

    public List<VersionSummary> versions(int limit) {
        return RuleSetVersion.<RuleSetVersion>find("kind = ?1 order by createdAt desc", RuleSetService.KIND).range(0, limit - 1).list()
                .stream().map(VersionSummary::of).toList();
    }

    public VersionDetail version(String ref) {
        RuleSetVersion v = find(ref);
        List<RuleInfo> rules = DrlIndex.of(v.files).rules().stream().map(r -> new RuleInfo(r.name(), r.file(), r.line())).toList();
        return new VersionDetail(VersionSummary.of(v), List.copyOf(v.files.keySet()), v.tests == null ? List.of() : List.copyOf(v.tests.keySet()), rules);
    }

    public Export export(String ref) {
        RuleSetVersion v = find(ref);
        return new Export(v.hash, new TreeMap<>(v.files), new TreeMap<>(v.tests == null ? Map.of() : v.tests));
    }

    /** The version as a zip: grading/... and tests/..., ready to unpack into rules/. */
    public byte[] exportZip(String ref) {
        Export e = export(ref);
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

    public RuleDiff.Result diff(String from, String to) {
        RuleSetVersion a = find(from, "from");
        RuleSetVersion b = find(to, "to");
        return RuleDiff.diff(a.hash, a.files, a.tests == null ? Map.of() : a.tests, b.hash, b.files, b.tests == null ? Map.of() : b.tests);
    }

    public List<AuditEntry> audit(String ref, RuleAudit.Action action, int limit) {
        StringBuilder q = new StringBuilder("1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
        if (ref != null && !ref.isBlank()) {
            q.append(" and version = :version");
            params.put("version", find(ref).hash);
        }
        if (action != null) {
            q.append(" and action = :action");
            params.put("action", action);
        }
        q.append(" order by at desc, id desc");
        return RuleAudit.<RuleAudit>find(q.toString(), params).range(0, limit - 1).list().stream().map(AuditEntry::of).toList();
    }

    public ActiveInfo active() {
        RuleSetVersion v = RuleSetVersion.active(RuleSetService.KIND);
        String here = engine.hasActive() ? engine.active().version() : null;
        return new ActiveInfo(v == null ? null : v.hash, here, v != null && v.hash.equals(here), ruleSets.degradedReason(),
                v == null ? null : VersionSummary.of(v));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    RuleSetVersion find(String ref) {
        return find(ref, "version");
    }

    /** A version by full hash or unique prefix (at least 6 hex digits). */
    RuleSetVersion find(String ref, String field) {
        if (ref == null || !REF.matcher(ref.trim().toLowerCase()).matches()) {
            throw ProblemException.invalidField(field, "版本号应为 6 到 64 位十六进制字符（完整版本号或其开头部分）");
        }
        String r = ref.trim().toLowerCase();
        List<RuleSetVersion> found = QuarkusTransaction.requiringNew().call(() -> r.length() == 64
                ? java.util.Optional.ofNullable(RuleSetVersion.<RuleSetVersion>findById(r)).map(List::of).orElse(List.of())
                : RuleSetVersion.<RuleSetVersion>list("hash like ?1", r + "%"));
        if (found.isEmpty()) throw ProblemException.notFound("规则集版本 " + r + " 不存在");
        if (found.size() > 1) throw ProblemException.invalidField(field, "版本号前缀 " + r + " 对应多个版本，请写得更长一些");
        return found.get(0);
    }

    private static String activeHash() {
        return QuarkusTransaction.requiringNew().call(() -> {
            RuleSetVersion v = RuleSetVersion.active(RuleSetService.KIND);
            return v == null ? null : v.hash;
        });
    }

    private static ValidationReport report(String version, RuleCompiler.Result result, RuleSource source) {
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

    private static void audit(String user, RuleAudit.Action action, String version, String previous, boolean ok, String comment,
                              String summary, Map<String, Object> details) {
        QuarkusTransaction.requiringNew().run(() -> RuleAudit.record(user, action, version, previous,
                ok ? RuleAudit.Outcome.OK : RuleAudit.Outcome.FAILED, comment, summary, details));
    }

    static String shortHash(String hash) {
        return hash == null ? "-" : hash.substring(0, Math.min(12, hash.length()));
    }
}
