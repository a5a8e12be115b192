package ai.instructflow.trainer.dpo;

import ai.instructflow.trainer.optim.AdamWConfig;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Direct preference optimisation's settings (Rafailov et al. 2023): the policy, a copy of the SFT
 * model, trained on the labelers' rankings against the frozen SFT model, in place of the reward
 * model and PPO. Like the reward model, one batch element is one prompt's K-way ranking, all C(K,2)
 * pairs of it at once. The defaults are the best of a small sweep on the demo (seed 1: beta 0.1, 0.5
 * and 1.0, lr 3e-5 to 3e-4; README); the paper's beta is 0.1, and its learning rate, 1e-6, is for
 * models a thousand times larger.
 *
 * @param steps           optimizer steps                                          [200]
 * @param batchSize       rankings (prompts) per step                              [16]
 * @param lr              peak learning rate                                       [1e-4]
 * @param warmupSteps     linear warm-up before the cosine decay                   [20, or a tenth of steps if fewer]
 * @param floorFraction   the cosine decays to this fraction of the peak           [0.1]
 * @param beta            strength of the implicit KL constraint to the SFT model: the implicit reward is
 *                        beta * log(pi(y|x) / pi_SFT(y|x)) (paper: 0.1; smaller lets the policy move further) [0.5]
 * @param adam            the optimizer                                            [AdamWConfig.defaults()]
 * @param evalEvery       steps between held-out accuracy measurements, 0 for the end only [50]
 * @param checkpointEvery steps between checkpoints, 0 for none                    [50]
 * @param seed            batch order; the platform derives it from the run seed and the stage name [4]
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DpoConfig(int steps, int batchSize, float lr, int warmupSteps, float floorFraction, float beta,
                        AdamWConfig adam, int evalEvery, int checkpointEvery, long seed) {

    public static DpoConfig defaults() {
        // beta 0.5: on the demo, 0.1 let the policy drift from SFT (win rate 52%, against 64% at 0.5 and 62% at 1.0)
        return new DpoConfig(200, 16, 1e-4f, 20, 0.1f, 0.5f, AdamWConfig.defaults(), 50, 50, 4);
    }
}
