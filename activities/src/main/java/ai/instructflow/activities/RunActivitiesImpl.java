package ai.instructflow.activities;

import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.workflows.RunActivities;
import ai.instructflow.workflows.RunStatus;
import ai.instructflow.workflows.Stage;

/** Records a run's outcome in the registry, and marks its failed stage when no attempt lived to do so. */
public final class RunActivitiesImpl implements RunActivities {

    private final RunStore runs;

    public RunActivitiesImpl(RunStore runs) {
        this.runs = runs;
    }

    @Override
    public void finish(String runId, String status, String stage, String error) {
        runs.run(runId).ifPresent(r -> runs.save(r.withStatus(status, RunStore.now(), stage, error)));
        if (stage != null && !RunStatus.SUCCEEDED.equals(status)) {
            Stage.of(stage).flatMap(s -> runs.stage(runId, s)).ifPresent(m -> {
                if (RunStatus.RUNNING.equals(m.status)) {
                    // the last attempt's worker died (a heartbeat timeout) before it could say so itself
                    m.status = status;
                    if (m.lastAttempt() != null && RunStatus.RUNNING.equals(m.lastAttempt().status)) {
                        m.lastAttempt().status = status;
                        m.lastAttempt().error = error;
                    }
                    runs.save(runId, m);
                }
            });
        }
    }
}
