package cn.urbanmgmt.risk.approvals;

/**
 * A kind of held item other than a plain event (e.g. the correction of a visit's recorded result,
 * inspection/results/ResultCorrectionService): what approving it does. Called inside the approval's
 * transaction, after the four-eyes checks; the caller regrades the merchant after commit.
 */
public interface HeldChange {

    PendingApproval.Kind kind();

    /**
     * Makes the approved change take effect (through event intake, with {@code approved} set);
     * returns the id of the (first) event it stored. A ProblemException means it can no longer take effect.
     */
    long apply(PendingApproval item);
}
