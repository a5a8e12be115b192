package ai.instructflow.workflows.labeling;

/** Where a run's labeling queues live, and the failure types their updates reject with. */
public final class LabelingQueues {

    /** The queue's submission was refused for what it says (bad task numbers, say): a client error. */
    public static final String INVALID = "InvalidSubmission";
    /** The queue no longer takes labels: its stage has ended. */
    public static final String CLOSED = "QueueClosed";
    /** The labeler does not hold these tasks (never leased, or the lease ran out and others finished them). */
    public static final String NOT_LEASED = "NotLeased";

    private LabelingQueues() {}

    /** A run's queue for one collect stage; a resumed run opens a new execution under the same id. */
    public static String id(String runId, String stage) {
        return runId + "/" + stage;
    }
}
