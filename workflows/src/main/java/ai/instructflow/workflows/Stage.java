package ai.instructflow.workflows;

import java.util.Arrays;
import java.util.Optional;

/**
 * The recipe's stages in run order (InstructGPT figure 2), plus the held-out evaluation that tells
 * whether PPO helped. Stages that run a model go to the task queue the run's resources name; the
 * others always go to the CPU queue.
 */
public enum Stage {
    COLLECT_DEMONSTRATIONS("collect-demonstrations", false),
    SFT("sft", true),
    COLLECT_COMPARISONS("collect-comparisons", true),
    RM("rm", true),
    PPO("ppo", true),
    EVALUATE("evaluate", true);

    private final String id;
    private final boolean usesModel;

    Stage(String id, boolean usesModel) {
        this.id = id;
        this.usesModel = usesModel;
    }

    /** The stage's name in the API, in object keys and in metrics. */
    public String id() {
        return id;
    }

    public boolean usesModel() {
        return usesModel;
    }

    public static Optional<Stage> of(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }
}
