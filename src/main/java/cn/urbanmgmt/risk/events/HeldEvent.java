package cn.urbanmgmt.risk.events;

/**
 * An event held for a second officer's approval instead of stored (four eyes, see {@link FourEyes}):
 * approvals' PendingApproval is one.
 */
public interface HeldEvent {

    /** The held item's id (GET /api/v1/approvals/{id}). */
    Long id();

    /** Why it is held (zh-CN). */
    String reason();
}
