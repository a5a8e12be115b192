package ai.instructflow.trainer.ppo;

import ai.instructflow.trainer.optim.AdamWConfig;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * PPO's settings (InstructGPT section 3.5 and appendix C.4; Schulman et al. 2017). The paper uses
 * beta 0.02, clip 0.2 and a value model initialised from the RM; PPO-ptx sets {@code ptxCoef} > 0.
 *
 * @param iterations      rollout-and-update rounds                                [50]
 * @param prompts         training prompts the rollouts draw from                  [4000]
 * @param rolloutBatch    responses sampled per iteration                          [64]
 * @param minibatch       responses per gradient step                              [32]
 * @param epochs          passes over each rollout batch                           [4]
 * @param policyLr        policy learning rate                                     [2e-5]
 * @param valueLr         value model learning rate                                [1e-4]
 * @param klCoef          beta: per-token KL penalty to the SFT policy (paper 0.02) [0.02]
 * @param adaptiveKl      adapt beta towards {@code klTarget} (Ziegler et al. 2019) [false]
 * @param klTarget        the KL (nats per response) the adaptive controller aims at [6]
 * @param klHorizon       the adaptive controller's horizon, in responses          [10000]
 * @param clip            the surrogate's ratio clip epsilon                       [0.2]
 * @param valueClip       the value loss's clip around the old values              [0.2]
 * @param gamma           discount of GAE                                          [1]
 * @param lambda          GAE's lambda                                             [0.95]
 * @param ptxCoef         gamma of PPO-ptx: weight of the pretraining loss, 0 for plain PPO [0]
 * @param ptxBatch        pretraining sequences per minibatch when {@code ptxCoef} > 0 [16]
 * @param maxNewTokens    longest sampled response, in tokens                      [40]
 * @param temperature     sampling temperature of the rollouts (paper: 1)          [1]
 * @param adam            both models' optimizer                                   [AdamWConfig.defaults()]
 * @param checkpointEvery iterations between checkpoints, 0 for none              [10]
 * @param seed            rollouts and minibatch order; the platform derives it from the run seed and the stage name [3]
 * @param guard           when PPO stops itself and hands on its best policy (reward hacking, KL budget)
 *                        [RewardHackingGuardConfig.defaults(); a spec stored before the guard existed gets them too]
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PpoConfig(int iterations, int prompts, int rolloutBatch, int minibatch, int epochs, float policyLr,
                        float valueLr, float klCoef, boolean adaptiveKl, float klTarget, float klHorizon, float clip,
                        float valueClip, float gamma, float lambda, float ptxCoef, int ptxBatch, int maxNewTokens,
                        float temperature, AdamWConfig adam, int checkpointEvery, long seed,
                        RewardHackingGuardConfig guard) {

    public PpoConfig {
        guard = guard == null ? RewardHackingGuardConfig.defaults() : guard;
    }

    public static PpoConfig defaults() {
        return new PpoConfig(50, 4000, 64, 32, 4, 2e-5f, 1e-4f, 0.02f, false, 6f, 10_000f, 0.2f, 0.2f,
                1f, 0.95f, 0f, 16, 40, 1f, AdamWConfig.defaults(), 10, 3, RewardHackingGuardConfig.defaults());
    }

    public PpoConfig withIterations(int n) {
        return new PpoConfig(n, prompts, rolloutBatch, minibatch, epochs, policyLr, valueLr, klCoef, adaptiveKl,
                klTarget, klHorizon, clip, valueClip, gamma, lambda, ptxCoef, ptxBatch, maxNewTokens, temperature, adam,
                checkpointEvery, seed, guard);
    }

    public PpoConfig withGuard(RewardHackingGuardConfig g) {
        return new PpoConfig(iterations, prompts, rolloutBatch, minibatch, epochs, policyLr, valueLr, klCoef, adaptiveKl,
                klTarget, klHorizon, clip, valueClip, gamma, lambda, ptxCoef, ptxBatch, maxNewTokens, temperature, adam,
                checkpointEvery, seed, g);
    }
}
