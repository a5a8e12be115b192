package ai.instructflow.trainer.dpo;

import ai.djl.ndarray.NDArray;
import ai.instructflow.trainer.model.OwnedArrays;
import ai.instructflow.trainer.train.Comparison;
import ai.instructflow.trainer.train.RankingLoss;
import java.util.List;

/**
 * The DPO loss (Rafailov et al. 2023, "Direct Preference Optimization: Your Language Model is
 * Secretly a Reward Model", eq. 7):
 *
 * <pre>L = -E_(x, y_w, y_l) [ log sigmoid( beta * ( (log pi(y_w|x) - log ref(y_w|x)) - (log pi(y_l|x) - log ref(y_l|x)) ) ) ]</pre>
 *
 * which is the reward model's pairwise loss with the implicit reward r(x, y) = beta * log(pi(y|x) /
 * ref(y|x)) in place of a learned head, so it is computed by {@link RankingLoss} with the same
 * weighting (each prompt's C(K,2) pairs weigh 1/C(K,2), a mean over prompts). The reference is the
 * frozen SFT model; its log-probabilities are constants here, so only the policy gets gradients.
 */
public final class DpoLoss {

    /**
     * @param pairs    the loss, the implicit reward's pairwise accuracy and its mean margin beta * (...)
     * @param logRatio mean log(pi(y|x) / ref(y|x)) over the batch's responses: how far the policy has
     *                 moved from the reference on the ranked samples (a one-sample KL-like measure, nats)
     */
    public record Value(RankingLoss.Value pairs, NDArray logRatio) {

        public NDArray loss() {
            return pairs.loss();
        }
    }

    private DpoLoss() {}

    /**
     * {@code policy} and {@code reference} hold log pi(y|x) and log ref(y|x) of every response of
     * every comparison in the batch, in {@link RankingLoss.Responses} order, [N].
     */
    public static Value of(NDArray policy, NDArray reference, float beta, List<Comparison> batch) {
        NDArray logRatio = policy.sub(reference);
        // through OwnedArrays.scale: autograd keeps the constant for the backward pass
        return new Value(RankingLoss.of(OwnedArrays.scale(logRatio, beta), batch), logRatio.mean());
    }
}
