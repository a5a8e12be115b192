package ai.instructflow.trainer.pipeline;

import ai.instructflow.trainer.suite.Split;
import java.util.List;
import java.util.Random;

/**
 * Where the recipe's prompts come from: the built-in suite ({@link SuitePool}), or a team's own
 * file ({@link TeamPool}). Held-out prompts only ever measure: they never reach a training step.
 */
public interface PromptPool {

    /** Up to {@code n} prompts of {@code split}, drawn with the caller's generator. */
    List<String> sample(Split split, int n, Random rng);

    /** Whether the built-in suite's simulated people can answer and judge these prompts. */
    boolean simulatable();
}
