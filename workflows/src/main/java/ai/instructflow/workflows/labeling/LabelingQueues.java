package ai.instructflow.workflows.labeling;

/**
 * Where a run's labeling queues live, and why they refuse. A malformed request fails the update's
 * validator; a well-formed one the queue cannot take is answered with a refusal, since a validator's
 * failure reaches the client without its type.
 */
public final class LabelingQueues {

    /** The queue no longer takes labels: its stage has ended. */
    public static final String CLOSED = "closed";
    /** The labeler does not hold these tasks (never leased, or the lease ran out and others finished them). */
    public static final String NOT_LEASED = "not_leased";
    /** The labeler may not take this queue's tasks at all (see {@link Admission}). */
    public static final String NOT_ELIGIBLE = "not_eligible";
    /**
     * History events before a queue's execution continues as new: well inside Temporal's limits
     * (50,000 events warned at 10,240), and a ledger of a few KB per thousand tasks to carry across.
     */
    public static final int HISTORY_LIMIT = 10_000;

    private LabelingQueues() {}

    /** A run's queue for one collect stage; a resumed run opens a new execution under the same id. */
    public static String id(String runId, String stage) {
        return runId + "/" + stage;
    }
}
