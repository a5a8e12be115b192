package ai.instructflow.workflows;

import ai.instructflow.trainer.pipeline.Method;
import java.util.Arrays;
import java.util.Optional;

/**
 * The recipe's stages in run order (InstructGPT figure 2), plus the held-out evaluation that tells
 * whether PPO helped; a DPO run (Rafailov et al. 2023) runs DPO instead of RM and PPO. Stages that
 * run a model go to the task queue the run's resources name; the others always go to the CPU queue.
 */
public enum Stage {
    COLLECT_DEMONSTRATIONS("collect-demonstrations", false, null),
    SFT("sft", true, null),
    COLLECT_COMPARISONS("collect-comparisons", true, null),
    RM("rm", true, Method.PPO),
    PPO("ppo", true, Method.PPO),
    /** In place of RM and PPO when the run's method is DPO. */
    DPO("dpo", true, Method.DPO),
    EVALUATE("evaluate", true, null);

    private final String id;
    private final boolean usesModel;
    private final Method only;

    Stage(String id, boolean usesModel, Method only) {
        this.id = id;
        this.usesModel = usesModel;
        this.only = only;
    }

    /** Whether a run of {@code method} runs this stage: every run does, but RM and PPO (PPO's) and DPO (DPO's). */
    public boolean runsWith(Method method) {
        return only == null || only == method;
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
