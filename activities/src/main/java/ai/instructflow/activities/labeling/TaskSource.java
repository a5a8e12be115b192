package ai.instructflow.activities.labeling;

import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.pipeline.Recipe;
import java.util.Random;
import java.util.function.Supplier;

/**
 * What a kind makes a queue's tasks from: the recipe (prompts, sampling), the stage's generator,
 * and the SFT and PPO policies, each loaded only if the kind asks for it (ranking tasks sample SFT,
 * verdict tasks both; the caller closes them).
 */
public record TaskSource(Recipe recipe, Random random, Supplier<GPT> sft, Supplier<GPT> ppo) {}
