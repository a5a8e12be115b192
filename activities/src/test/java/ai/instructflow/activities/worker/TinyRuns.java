package ai.instructflow.activities.worker;

import ai.instructflow.workflows.RunSpec;
import ai.instructflow.workflows.StageRuntime;
import java.util.List;
import java.util.Map;

/** Run specs at a toy budget: every stage does real work in seconds. */
final class TinyRuns {

    private TinyRuns() {}

    static RunSpec spec(String name, List<String> faults, Map<String, StageRuntime> runtime) {
        return new RunSpec(name, "tiny", null, 3L, "cpu", "simulated", false,
                new RunSpec.Demonstrations(200, null, null, null, null, null),
                new RunSpec.Sft(40, 16, 2e-3, 10),
                new RunSpec.Comparisons(60, 20, 4, 4, null, null, null, null, null, null),
                new RunSpec.Rm(10, 8, 5e-4, 5),
                new RunSpec.Ppo(4, 100, 32, 16, 2, 2e-5, 1e-4, 0.02, false, 24, 1),
                new RunSpec.Evaluation(40), runtime, faults);
    }
}
