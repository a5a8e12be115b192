package ai.instructflow.activities.stages;

/**
 * A worker on its way out (SIGTERM from Kubernetes draining a node, Ctrl-C): its running stages
 * stop at their next step with a checkpoint, as for a cancel, but fail retryably instead, so that
 * Temporal hands the stage to another worker, which continues from that checkpoint.
 */
public final class Handover {

    private volatile boolean requested;

    public void request() {
        requested = true;
    }

    public boolean requested() {
        return requested;
    }
}
