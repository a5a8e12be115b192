package ai.instructflow.workflows;

import java.util.List;
import java.util.Set;

/** Statuses of runs and of their stages, as stored and as the API shows them (lower case). */
public final class RunStatus {

    public static final String PENDING = "pending";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";
    /** The run was running when its Temporal service lost it (an embedded service restarted); resume it. */
    public static final String INTERRUPTED = "interrupted";

    /** A stage attempt whose worker shut down: it stopped at a checkpoint, and another attempt continues it. */
    public static final String HANDED_OVER = "handed_over";

    /** The statuses a run (not a stage) can have. */
    public static final List<String> OF_RUNS = List.of(RUNNING, SUCCEEDED, FAILED, CANCELLED, INTERRUPTED);

    /** The statuses a run ends in: nothing runs for it until it is resumed. */
    public static final Set<String> ENDED = Set.of(SUCCEEDED, FAILED, CANCELLED, INTERRUPTED);

    private RunStatus() {}
}
