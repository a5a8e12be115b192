package ai.instructflow.trainer.ppo;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * When PPO stops itself (see {@link RewardHackingGuard}). Each iteration's reward, held-out score and
 * KL come from one rollout batch, so every test looks at a trailing window of iterations, never at
 * one. Measured on the demo (seed 1): at the default policy lr 2e-5 the held-out window never fell
 * more than 0.055 below its best and the window KL stayed under 1.6 nats, so PPO runs to the end; the
 * drills at lr 1e-4 and 3e-4 passed 3 nats at iterations 14 and 5, and without the budget the
 * held-out score fell 0.10 and 0.16 below its best while the reward held.
 *
 * @param enabled  stop early and hand on the best policy; off, PPO runs all its iterations and the
 *                 guard only reports (its metrics, the alerts)                                  [true]
 * @param window   iterations each mean is taken over                                           [8]
 * @param patience consecutive iterations of hacking (reward window above SFT's first batch, held-out
 *                 window {@code drop} below its best) before PPO stops; also the fewest iterations
 *                 the KL test averages                                                          [4]
 * @param drop     how far below its best window the held-out window must fall, in the judge's score
 *                 (the simulated labelers score 0 to 1)                                            [0.08]
 * @param klBudget KL to the SFT policy, nats per response, averaged over the window, beyond which PPO
 *                 stops; a policy past it is never handed on (the PPOKLOverBudget alert warns at 2) [3]
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RewardHackingGuardConfig(boolean enabled, int window, int patience, float drop, float klBudget) {

    public static RewardHackingGuardConfig defaults() {
        return new RewardHackingGuardConfig(true, 8, 4, 0.08f, 3f);
    }

    public RewardHackingGuardConfig withEnabled(boolean on) {
        return new RewardHackingGuardConfig(on, window, patience, drop, klBudget);
    }
}
