package ai.instructflow.trainer.rm;

import ai.instructflow.trainer.optim.AdamWConfig;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The reward model's settings (InstructGPT section 3.5, "RM"). One batch element is one prompt's
 * K-way ranking, all C(K,2) pairs of it at once.
 *
 * @param steps           optimizer steps                                          [400]
 * @param batchSize       rankings (prompts) per step                              [16]
 * @param lr              peak learning rate                                       [5e-4]
 * @param warmupSteps     linear warm-up before the cosine decay                   [20, or a tenth of steps if fewer]
 * @param floorFraction   the cosine decays to this fraction of the peak           [0.1]
 * @param adam            the optimizer                                            [AdamWConfig.defaults()]
 * @param evalEvery       steps between held-out accuracy measurements, 0 for the end only [100]
 * @param checkpointEvery steps between checkpoints, 0 for none                    [100]
 * @param seed            batch order; the platform derives it from the run seed and the stage name [2]
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RewardModelConfig(int steps, int batchSize, float lr, int warmupSteps, float floorFraction,
                                AdamWConfig adam, int evalEvery, int checkpointEvery, long seed) {

    public static RewardModelConfig defaults() {
        return new RewardModelConfig(400, 16, 5e-4f, 20, 0.1f, AdamWConfig.defaults(), 100, 100, 2);
    }
}
