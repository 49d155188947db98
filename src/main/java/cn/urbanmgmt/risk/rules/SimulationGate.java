package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.grading.engine.DrlIndex;
import cn.urbanmgmt.risk.grading.engine.RuleCompiler;
import cn.urbanmgmt.risk.grading.engine.RuleProblem;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import cn.urbanmgmt.risk.jobs.Job;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Activation only after a fault-free dry run, for both rule-set kinds: a version may become active only
 * when a simulation of that exact version (its content hash) covering everything the kind decides about
 * ({@link RuleKind#notCovered}: the whole registry for grading; the whole district and every item of the
 * newest item list for sampling), evaluated on the day it ran, finished with no merchant on which the
 * version looped, overran or threw (and for sampling no stratum with two proportions, which would refuse
 * a plan), no longer ago than {@code app.rules.activation.simulation-max-age}. Otherwise the activation is
 * refused, naming the faulting rules and merchants, or saying which simulation to run. Rollbacks go to
 * versions that were active before and are not gated (they are the way out of a bad activation).
 */
@ApplicationScoped
public class SimulationGate {

    /** How many merchant ids a refusal lists per faulting rule. */
    static final int LISTED_MERCHANTS = 20;

    @ConfigProperty(name = "app.rules.activation.require-simulation", defaultValue = "true")
    boolean required;

    @ConfigProperty(name = "app.rules.activation.simulation-max-age", defaultValue = "PT24H")
    Duration maxAge;

    /** A full simulation of a version, as the gate sees it. */
    public record Verdict(boolean ok, Long job, String detail, List<RuleProblem> problems) {
    }

    /** Whether {@code source} of {@code kind} may be activated now; problems name the faulting rules (placed at their lines) and merchants. */
    public Verdict check(RuleKind<?, ?> kind, RuleSource source) {
        if (!required) return new Verdict(true, null, null, List.of());
        String hash = source.hash();
        String shortHash = RuleAuthoringService.shortHash(hash);
        OffsetDateTime since = OffsetDateTime.now(ZoneOffset.UTC).minus(maxAge);
        List<Job> done = QuarkusTransaction.requiringNew().call(() -> Job.<Job>find(
                "type = ?1 and status = ?2 and finishedAt >= ?3 order by finishedAt desc", kind.simulationJobType(), Job.Status.DONE, since).list());
        Job full = null;
        String partial = null;
        for (Job j : done) {
            if (!ofVersionToday(j, hash)) continue;
            String gap = kind.notCovered(j);
            if (gap == null) {
                full = j;
                break;
            }
            if (partial == null) partial = "（最近一次模拟 #" + j.id + " " + gap + "）";
        }
        if (full == null) {
            String message = "版本 " + shortHash + " 在最近 " + hours() + " 内没有完成过全区模拟" + (partial == null ? "" : partial)
                    + "：启用前请先" + kind.fullSimulationHint() + "，确认没有任何对象出错（死循环、运行过久、执行出错）后再启用";
            return new Verdict(false, null, message, List.of(RuleProblem.error(RuleProblem.Kind.RUNTIME, null, null, null, message)));
        }
        List<RuleProblem> problems = faults(full, source);
        if (problems.isEmpty()) return new Verdict(true, full.id, null, List.of());
        return new Verdict(false, full.id, "版本 " + shortHash + " 在模拟（任务 #" + full.id + "）中有 " + problems.size()
                + " 处错误，不能启用；请改正这些规则后重新上传、模拟", problems);
    }

    private String hours() {
        long h = maxAge.toHours();
        return h > 0 && maxAge.toMinutes() % 60 == 0 ? h + " 小时" : maxAge.toMinutes() + " 分钟";
    }

    /** A simulation of {@code hash} evaluated on the day it ran. */
    static boolean ofVersionToday(Job j, String hash) {
        Map<String, Object> p = j.params;
        if (p == null || !hash.equals(p.get("candidate"))) return false;
        Object date = p.get("evaluationDate");
        String ranOn = (j.createdAt == null ? j.finishedAt : j.createdAt).atZoneSameInstant(EventService.ZONE).toLocalDate().toString();
        return date == null || Objects.equals(date.toString(), ranOn);
    }

    /** The candidate's faults in the job's result: one problem per rule and kind, with the merchants. */
    @SuppressWarnings("unchecked")
    static List<RuleProblem> faults(Job j, RuleSource source) {
        List<RuleProblem> out = new ArrayList<>();
        Object list = j.result == null ? null : j.result.get("faults");
        if (!(list instanceof List<?> faults)) return out;
        DrlIndex index = DrlIndex.of(source.files());
        for (Object o : faults) {
            if (!(o instanceof Map<?, ?> f) || !"CANDIDATE".equals(f.get("side"))) continue;
            String rule = f.get("rule") == null ? null : f.get("rule").toString();
            RuleProblem.Kind kind;
            try {
                kind = RuleProblem.Kind.valueOf(String.valueOf(f.get("kind")));
            } catch (IllegalArgumentException e) {
                kind = RuleProblem.Kind.RUNTIME;
            }
            List<Object> ids = f.get("merchantIds") instanceof List<?> l ? (List<Object>) l : List.of();
            long count = f.get("count") instanceof Number n ? n.longValue() : ids.size();
            String merchants = String.join("、", ids.stream().limit(LISTED_MERCHANTS).map(id -> "#" + id).toList())
                    + (count > Math.min(ids.size(), LISTED_MERCHANTS) ? " 等" : "");
            String what = switch (kind) {
                case LOOP -> "疑似死循环";
                case TIMEOUT -> "运行过久";
                default -> "执行出错";
            };
            String message = "模拟（任务 #" + j.id + "，" + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").format(j.finishedAt.atZoneSameInstant(EventService.ZONE))
                    + "）中，规则“" + rule + "”对 " + count + " 个商户" + what + "：商户 " + merchants
                    + (f.get("message") == null ? "" : "。" + f.get("message"));
            out.add(RuleCompiler.atRule(index, kind, rule, message));
        }
        // Sampling: a stratum given two proportions would refuse every plan drawn with the version.
        if (j.result != null && j.result.get("conflicts") instanceof List<?> conflicts) {
            for (Object o : conflicts) {
                if (o instanceof Map<?, ?> c && "CANDIDATE".equals(c.get("side"))) {
                    out.add(RuleProblem.error(RuleProblem.Kind.STRATUM_CONFLICT, null, null, null,
                            "模拟（任务 #" + j.id + "）中，" + c.get("message")));
                }
            }
        }
        return out;
    }
}
