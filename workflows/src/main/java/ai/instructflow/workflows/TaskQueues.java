package ai.instructflow.workflows;

/**
 * The worker pools. CPU workers take collection and orchestration work; GPU workers, started with a
 * GPU device in their configuration, take the model stages of runs whose resources say "gpu".
 */
public final class TaskQueues {

    public static final String CPU = "instructflow-cpu";
    public static final String GPU = "instructflow-gpu";
    /**
     * The labeling queues, their bookkeeping and the simulated labelers, served by every CPU worker
     * beside its stage slot, so a queue waiting on people never holds up training.
     */
    public static final String LABELING = "instructflow-labeling";

    private TaskQueues() {}

    /** The queue of a {@code resources} value from a run spec ("cpu" or "gpu"). */
    public static String of(String resources) {
        return "gpu".equals(resources) ? GPU : CPU;
    }
}
