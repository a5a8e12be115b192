package ai.instructflow.trainer.ppo;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Why PPO stopped before its last iteration, and which policy it handed on instead of the one it had.
 *
 * @param reason            what the guard saw
 * @param iteration         the iteration whose rollouts made it stop (1-based; its update never ran)
 * @param handedOnIteration the iteration whose rollouts the handed-on policy sampled: the best window's newest
 * @param heldoutScore      held-out score of the stopping window (null without a held-out judge)
 * @param bestHeldoutScore  held-out score of the window that ends at {@code handedOnIteration}
 * @param kl                KL to the SFT policy of the stopping window, nats per response
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EarlyStop(Reason reason, long iteration, long handedOnIteration, Double heldoutScore,
                        Double bestHeldoutScore, double kl) {

    public enum Reason {
        /** The reward stayed above SFT's while the held-out score fell well below its best, for the guard's patience. */
        REWARD_HACKING,
        /** The window's mean KL to the SFT policy passed the budget. */
        KL_BUDGET
    }

    /** In words, for logs and the run page. */
    public String describe() {
        String why = switch (reason) {
            case REWARD_HACKING -> String.format("the reward stayed above SFT's while the held-out score fell to %.3f", heldoutScore);
            case KL_BUDGET -> String.format("KL to the SFT policy reached %.2f nats, over its budget", kl);
        };
        return String.format("PPO stopped at iteration %d: %s; handed on the policy of iteration %d%s", iteration, why,
                handedOnIteration, bestHeldoutScore == null ? "" : String.format(" (held-out score %.3f)", bestHeldoutScore));
    }
}
