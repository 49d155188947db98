package cn.urbanmgmt.risk.events;

/**
 * Four eyes at intake (issue 14): an event that would lower its merchant's grade, or that takes a published
 * adverse result off the record, is held for a second officer instead of stored. Decided above this package
 * (approvals implements it, with grading's view of the grade); {@link EventService#store} asks it inside the
 * store's transaction, so that a held event is taken back before commit and no reader ever sees it.
 */
public interface FourEyes {

    /**
     * The answer when an item is already held under this event's source and id: the same submission again
     * is a duplicate, other content is refused (409). Null when nothing is held under it.
     */
    EventService.Recorded alreadyHeld(EventInput in, MerchantEvent event, long merchantId);

    /**
     * Writes the event through {@code write} and decides whether it stands: null when it does (it stays
     * written); else, after {@code write.undo()}, the held item.
     *
     * @param replaced the event it corrects, or null
     */
    HeldEvent writeOrHold(EventInput in, long merchantId, String recordedBy, MerchantEvent replaced, Write write);

    /** The items held for the merchant, as timeline entries (status PENDING, no id; {@code approvalId} names the item). */
    java.util.List<MerchantEvent> heldEvents(long merchantId);

    /** Writing the event in the store's transaction, and taking it back. */
    interface Write {

        /** Persists the event (and marks the event it corrects as superseded by it), flushed. */
        void apply();

        /** Removes the written event again (and the superseded mark), flushed. */
        void undo();
    }
}
