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
     * The submit validator's failure type for labels stored under another queue folder than this
     * execution's: the caller's copy of the queue's spec is out of date (a resume made a new folder).
     */
    public static final String OTHER_FOLDER = "other_folder";
    /**
     * History events before a queue's execution continues as new (about 450 leases and submissions;
     * Temporal's limits are far off: 50,000 events, warned at 10,240). A queue served from a worker's
     * cache never replays its history, except when a workflow task fails, and one does at almost every
     * renewal under load: an update arriving while the execution completes makes the service refuse the
     * completion, and the worker replays the execution (re-running each of its updates) before trying
     * again. The shorter the execution, the shorter that pause for everyone waiting on the queue
     * (labeling-bench, 50 labelers: a p99 of ~0.5 s at 1,000 events, above a second at 2,000, 10 s
     * once on a busy machine); each renewal carries a ledger of a few KB per thousand tasks.
     */
    public static final int HISTORY_LIMIT = 1_000;

    private LabelingQueues() {}

    /** A run's queue for one collect stage; a resumed run opens a new execution under the same id. */
    public static String id(String runId, String stage) {
        return runId + "/" + stage;
    }
}
