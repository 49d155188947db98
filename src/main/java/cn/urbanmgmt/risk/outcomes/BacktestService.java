package cn.urbanmgmt.risk.outcomes;

import cn.urbanmgmt.risk.common.Labelled;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.grading.RuleAudit;
import cn.urbanmgmt.risk.grading.RuleSetRuntime;
import cn.urbanmgmt.risk.grading.RuleSetService;
import cn.urbanmgmt.risk.grading.RuleSetVersion;
import cn.urbanmgmt.risk.grading.engine.CompiledRules;
import cn.urbanmgmt.risk.jobs.Job;
import cn.urbanmgmt.risk.jobs.JobService;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.ReferenceData;
import cn.urbanmgmt.risk.registry.Street;
import cn.urbanmgmt.risk.rules.GradingRuleKind;
import cn.urbanmgmt.risk.rules.RuleAuthoringService;
import cn.urbanmgmt.risk.rules.RuleSetRejectedException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Checks a backtest request and starts its job ({@link BacktestJob}). */
@ApplicationScoped
public class BacktestService {

    public static final int MAX_HORIZON_DAYS = 730;
    public static final int DEFAULT_HORIZON_DAYS = 365;

    @Inject
    RuleAuthoringService authoring;

    @Inject
    GradingRuleKind grading;

    @Inject
    RuleSetService ruleSets;

    @Inject
    JobService jobs;

    @Inject
    ReferenceData refs;

    public record BacktestRequest(
            @Schema(description = "回测的规则版本（完整版本号或开头至少 6 位）；ACTIVE 或不填为生效版本") String version,
            @Schema(description = "对比的第二个版本（可选）；ACTIVE 为生效版本") String compareWith,
            @Schema(description = "评级日期 D（yyyy-MM-dd，须早于今天）：只用 D 之前已录入的事件评级") String asOf,
            @Schema(description = "观察期 H（天，1 到 730，默认 365）：用 D 起 H 天内的检查结果打分") Integer horizonDays,
            @Schema(description = "只回测该街镇（可选）") String street,
            @Schema(description = "只回测该行业（可选）") String category) {
    }

    public JobService.Progress start(BacktestRequest request, String user) {
        if (request == null) throw ProblemException.invalidField("asOf", "请求体不能为空：请填写评级日期 asOf");
        List<String> versions = new ArrayList<>();
        versions.add(resolve(request.version(), "version"));
        if (request.compareWith() != null && !request.compareWith().isBlank()) {
            String other = resolve(request.compareWith(), "compareWith");
            if (other.equals(versions.get(0))) throw ProblemException.invalidField("compareWith", "对比版本与回测版本相同，请选择另一个版本");
            versions.add(other);
        }
        LocalDate today = LocalDate.now(EventService.ZONE);
        if (request.asOf() == null || request.asOf().isBlank()) throw ProblemException.invalidField("asOf", "请填写评级日期（yyyy-MM-dd）");
        LocalDate asOf;
        try {
            asOf = LocalDate.parse(request.asOf().trim());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField("asOf", "评级日期“" + request.asOf() + "”格式不正确，应为 yyyy-MM-dd");
        }
        if (!asOf.isBefore(today)) throw ProblemException.invalidField("asOf", "评级日期须早于今天（" + today + "）：回测看的是评级之后的检查结果");
        int horizon = request.horizonDays() == null ? DEFAULT_HORIZON_DAYS : request.horizonDays();
        if (horizon < 1 || horizon > MAX_HORIZON_DAYS) {
            throw ProblemException.invalidField("horizonDays", "观察期应为 1 到 " + MAX_HORIZON_DAYS + " 天，收到 " + horizon);
        }
        String street = null;
        if (request.street() != null && !request.street().isBlank()) {
            Street s = refs.resolveStreet(request.street());
            if (s == null) throw ProblemException.invalidField("street", "街镇“" + request.street() + "”不存在，可选：" + refs.allowedStreets());
            street = s.code;
        }
        String category = null;
        if (request.category() != null && !request.category().isBlank()) {
            MerchantCategory c = Labelled.parse(MerchantCategory.class, request.category());
            if (c == null) {
                throw ProblemException.invalidField("category", "行业类别“" + request.category() + "”不存在，可选：" + Labelled.allowed(MerchantCategory.class));
            }
            category = c.name();
        }
        for (String v : versions) ensureCompiles(v, user);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("versions", versions);
        params.put("asOf", asOf.toString());
        params.put("horizonDays", horizon);
        params.put("street", street);
        params.put("category", category);
        Job job = jobs.create(BacktestJob.TYPE, user, params, null);
        QuarkusTransaction.requiringNew().run(() -> RuleAudit.record(RuleSetService.KIND, user, RuleAudit.Action.SIMULATE, versions.get(0),
                versions.size() > 1 ? versions.get(1) : null, RuleAudit.Outcome.STARTED, null,
                "回测已启动（任务 #" + job.id + "）：评级日期 " + asOf + "，观察期 " + horizon + " 天", Map.of("jobId", job.id, "backtest", true)));
        return jobs.progress(job);
    }

    private String resolve(String ref, String field) {
        if (ref == null || ref.isBlank() || ref.trim().equalsIgnoreCase("ACTIVE")) {
            RuleSetVersion active = QuarkusTransaction.requiringNew().call(() -> RuleSetVersion.active(RuleSetService.KIND));
            if (active == null) throw ProblemException.invalidField(field, "当前没有生效的评级规则版本，请指定版本号");
            return active.hash;
        }
        return authoring.find(grading, ref, field).hash;
    }

    /** The version must compile (422 otherwise); compiled once here, the chunks then find it in the cache. */
    private void ensureCompiles(String hash, String user) {
        CompiledRules cached = ruleSets.cached(hash);
        if (cached != null) {
            cached.release();
            return;
        }
        RuleSetVersion v = QuarkusTransaction.requiringNew().call(() -> RuleSetVersion.findById(hash));
        RuleSetRuntime.Compiled<CompiledRules> result = ruleSets.compile(v.toSource());
        if (!result.ok()) {
            throw new RuleSetRejectedException(hash, "版本 " + RuleSetRuntime.shortHash(hash) + " 无法编译，不能回测：" + result.errors().size() + " 个错误",
                    result.problems());
        }
        ruleSets.offer(result.rules());
        result.rules().release();
    }
}
