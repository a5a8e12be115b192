package ai.instructflow.workflows;

import io.temporal.activity.ActivityInterface;

/** Bookkeeping of a run in the registry (object storage) that is not any one stage's. */
@ActivityInterface
public interface RunActivities {

    /** Records how the run ended; {@code stage} and {@code error} name the failure, if any. */
    void finish(String runId, String status, String stage, String error);
}
