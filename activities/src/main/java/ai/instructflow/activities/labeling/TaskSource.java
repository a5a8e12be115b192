package ai.instructflow.activities.labeling;

import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.pipeline.Recipe;
import ai.instructflow.workflows.Stage;
import java.util.Random;
import java.util.function.Supplier;

/**
 * What a kind makes a queue's tasks from: the recipe (prompts, sampling), the stage's generator,
 * and the SFT and tuned policies, each loaded only if the kind asks for it (ranking tasks sample SFT,
 * verdict tasks both; the caller closes them).
 *
 * @param policy      the policy the evaluation judges against SFT: PPO's, or DPO's in a DPO run
 * @param policyStage the stage that trained it, which its answers are attributed to
 */
public record TaskSource(Recipe recipe, Random random, Supplier<GPT> sft, Supplier<GPT> policy, Stage policyStage) {}
