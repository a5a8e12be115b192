package ai.instructflow.workflows;

/** Statuses of runs and of their stages, as stored and as the API shows them (lower case). */
public final class RunStatus {

    public static final String PENDING = "pending";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";
    /** The run was running when its Temporal service lost it (an embedded service restarted); resume it. */
    public static final String INTERRUPTED = "interrupted";

    private RunStatus() {}
}
