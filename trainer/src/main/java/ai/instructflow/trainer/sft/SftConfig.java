package ai.instructflow.trainer.sft;

import ai.instructflow.trainer.optim.AdamWConfig;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Supervised fine-tuning's settings (InstructGPT section 3.5, "SFT"). Defaults suit the tiny preset
 * on a 2-core CPU; the paper trains 16 epochs with cosine decay.
 *
 * @param steps           optimizer steps; the copy tasks need 1,600 at batch 48 (800 left them at 0-5%) [1600]
 * @param batchSize       demonstrations per step                                  [48]
 * @param lr              peak learning rate                                       [2e-3]
 * @param warmupSteps     linear warm-up before the cosine decay                   [30, or a tenth of steps if fewer]
 * @param floorFraction   the cosine decays to this fraction of the peak (paper: 10%) [0.1]
 * @param adam            the optimizer                                            [AdamWConfig.defaults()]
 * @param evalEvery       steps between held-out loss measurements, 0 for the end only [100]
 * @param checkpointEvery steps between checkpoints, 0 for none                    [100]
 * @param seed            batch order and dropout; the platform derives it from the run seed and the stage name [1]
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SftConfig(int steps, int batchSize, float lr, int warmupSteps, float floorFraction, AdamWConfig adam,
                        int evalEvery, int checkpointEvery, long seed) {

    public static SftConfig defaults() {
        return new SftConfig(1600, 48, 2e-3f, 30, 0.1f, AdamWConfig.defaults(), 100, 100, 1);
    }
}
