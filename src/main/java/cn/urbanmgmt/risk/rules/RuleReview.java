package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.grading.RuleAudit;
import cn.urbanmgmt.risk.grading.RuleSetVersion;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Four eyes for rule changes (issue 14), the same for every rule-set kind: the author proposes a
 * stored version; a reviewer (法制审核, REVIEWER) who neither made nor proposed it approves it, or
 * returns it with a comment. Only an approved version can be activated
 * ({@link RuleAuthoringService#activate}); a rollback goes only to an approved version and needs
 * nobody else (the emergency way out). Every step is written to the rule audit (hash-chained).
 * The rules shipped with the service and activated at start-up count as approved by "system".
 */
@ApplicationScoped
public class RuleReview {

    public static final String DRAFT = "DRAFT", PROPOSED = "PROPOSED", APPROVED = "APPROVED", RETURNED = "RETURNED";

    @Inject
    RuleAuthoringService authoring;

    @Inject
    SimulationGate simulationGate;

    /**
     * What a reviewer looks at: the version with its approval state, the active version it would
     * replace, and where its diff, scenario results and simulation are. {@code simulationFaultFree}
     * (grading only): whether a full simulation of this exact version ran without faults recently
     * (the activation gate's verdict; {@code simulationNote} says why not).
     */
    public record Review(RuleAuthoringService.VersionSummary version, String activeVersion, Map<String, String> links, Long simulationJob,
                         Boolean simulationFaultFree, String simulationNote) {
    }

    /** A version waiting for review, of either kind ({@code kind}: GRADING or SAMPLING). */
    public record Waiting(String kind, RuleAuthoringService.VersionSummary version, String proposalComment) {
        /** The version's page in the console (/console/rules/grading|sampling/versions/...). */
        public String page() {
            return "/console/rules/" + kind.toLowerCase(java.util.Locale.ROOT) + "/versions/" + version.version();
        }
    }

    /** Every version waiting for a reviewer, oldest proposal first (the console's work queue). */
    public List<Waiting> waiting() {
        return QuarkusTransaction.requiringNew().call(() -> RuleSetVersion.<RuleSetVersion>list("approvalState = ?1 order by proposedAt", PROPOSED)
                .stream().map(v -> new Waiting(v.kind, RuleAuthoringService.VersionSummary.of(v), v.proposalComment)).toList());
    }

    static String label(String state) {
        if (state == null) return null;
        return switch (state) {
            case PROPOSED -> "待法制审核";
            case APPROVED -> "已批准";
            case RETURNED -> "已退回";
            default -> "草稿";
        };
    }

    /** Why {@code v} may not become active by {@code action} (zh-CN), or null. */
    static String refusalToSwitch(RuleKind<?, ?> kind, RuleSetVersion v, RuleAudit.Action action) {
        if (v.isApproved()) return null;
        String shortHash = RuleAuthoringService.shortHash(v.hash);
        if (action == RuleAudit.Action.ROLLBACK) {
            return "版本 " + shortHash + " 未经法制审核批准，不能作为回滚目标：回滚只能回到已批准的版本";
        }
        return "版本 " + shortHash + " 尚未经法制审核批准（当前状态：" + label(v.approvalState) + "），不能启用：请规则编写员提交审核"
                + "（POST " + kind.apiBase() + "/versions/" + shortHash + "/propose），由规则编写员以外的法制审核人员批准后再启用";
    }

    public Review review(RuleKind<?, ?> kind, String ref) {
        RuleSetVersion v = authoring.find(kind, ref);
        String active = QuarkusTransaction.requiringNew().call(() -> {
            RuleSetVersion a = RuleSetVersion.active(kind.kind());
            return a == null ? null : a.hash;
        });
        Map<String, String> links = new LinkedHashMap<>();
        links.put("version", kind.apiBase() + "/versions/" + v.hash);
        if (active != null && !active.equals(v.hash)) links.put("diff", kind.apiBase() + "/diff?from=" + active + "&to=" + v.hash);
        links.put("tests", kind.apiBase() + "/versions/" + v.hash + "/test");
        links.put("audit", kind.apiBase() + "/audit?version=" + v.hash);
        // Both kinds: whether the fault-free full simulation an activation needs exists (SimulationGate).
        SimulationGate.Verdict verdict = simulationGate.check(kind, v.toSource());
        Long job = verdict.job() != null ? verdict.job() : lastSimulation(kind, v.hash);
        Boolean faultFree = verdict.ok();
        String note = verdict.detail();
        if (job != null) links.put("simulation", "/api/v1/jobs/" + job);
        return new Review(RuleAuthoringService.VersionSummary.of(v), active, links, job, faultFree, note);
    }

    private static Long lastSimulation(RuleKind<?, ?> kind, String hash) {
        return QuarkusTransaction.requiringNew().call(() -> {
            RuleAudit a = RuleAudit.<RuleAudit>find("kind = ?1 and version = ?2 and action = ?3 and outcome = ?4 order by at desc, id desc",
                    kind.kind(), hash, RuleAudit.Action.SIMULATE, RuleAudit.Outcome.OK).firstResult();
            Object id = a == null || a.details == null ? null : a.details.get("jobId");
            return id instanceof Number n ? n.longValue() : null;
        });
    }

    /** The author submits a version for review. */
    public Review propose(RuleKind<?, ?> kind, String ref, String comment, String user) {
        String hash = authoring.find(kind, ref).hash;
        QuarkusTransaction.requiringNew().run(() -> {
            RuleSetVersion v = RuleSetVersion.findById(hash, LockModeType.PESSIMISTIC_WRITE);
            if (v.isApproved()) throw ProblemException.conflict("版本 " + RuleAuthoringService.shortHash(hash) + " 已经批准，无需再提交审核");
            if (PROPOSED.equals(v.approvalState)) {
                throw ProblemException.conflict("版本 " + RuleAuthoringService.shortHash(hash) + " 已由 " + v.proposedBy + " 提交审核，正在等待法制审核");
            }
            v.approvalState = PROPOSED;
            v.proposedBy = user;
            v.proposedAt = OffsetDateTime.now();
            v.proposalComment = text(comment, false);
            v.reviewedBy = null;
            v.reviewedAt = null;
            v.reviewComment = null;
            RuleAudit.record(kind.kind(), user, RuleAudit.Action.PROPOSE, hash, null, RuleAudit.Outcome.OK, v.proposalComment,
                    "提交法制审核：版本 " + RuleAuthoringService.shortHash(hash), null);
        });
        return review(kind, hash);
    }

    /** A reviewer who is not the author approves ({@code approve}) or returns a proposed version with a comment. */
    public Review decide(RuleKind<?, ?> kind, String ref, boolean approve, String comment, String user) {
        String hash = authoring.find(kind, ref).hash;
        String why = text(comment, !approve);
        QuarkusTransaction.requiringNew().run(() -> {
            RuleSetVersion v = RuleSetVersion.findById(hash, LockModeType.PESSIMISTIC_WRITE);
            String shortHash = RuleAuthoringService.shortHash(hash);
            if (!PROPOSED.equals(v.approvalState)) {
                throw ProblemException.conflict("版本 " + shortHash + " 当前状态为“" + label(v.approvalState) + "”，"
                        + (APPROVED.equals(v.approvalState) ? "已由 " + v.reviewedBy + " 批准" : "须先由规则编写员提交审核"));
            }
            if (user.equals(v.proposedBy) || user.equals(v.createdBy)) {
                throw ProblemException.forbidden("不能审核自己编写或提交的规则版本：须由规则编写员以外的法制审核人员审核（四眼原则）");
            }
            v.approvalState = approve ? APPROVED : RETURNED;
            v.reviewedBy = user;
            v.reviewedAt = OffsetDateTime.now();
            v.reviewComment = why;
            RuleAudit.record(kind.kind(), user, approve ? RuleAudit.Action.APPROVE : RuleAudit.Action.RETURN, hash, null, RuleAudit.Outcome.OK,
                    why, (approve ? "法制审核批准：版本 " : "法制审核退回：版本 ") + shortHash + (approve ? "，可以启用" : ""), null);
        });
        return review(kind, hash);
    }

    private static String text(String comment, boolean required) {
        if (comment == null || comment.isBlank()) {
            if (required) throw ProblemException.invalidField("comment", "退回时请填写审核意见（为什么退回、需要改什么），它会记入审计日志");
            return null;
        }
        if (comment.length() > 1000) throw ProblemException.invalidField("comment", "说明不能超过 1000 个字符");
        return comment.strip();
    }
}
