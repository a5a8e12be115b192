package ai.instructflow.trainer.ppo;

import ai.djl.ndarray.NDArray;
import ai.instructflow.trainer.model.OwnedArrays;

/** The two PPO losses over response tokens, [B, T] tensors, averaged over the tokens in {@code mask}. */
public final class PpoLoss {

    private PpoLoss() {}

    /** ratio = pi / pi_old, and the negated clipped surrogate (Schulman et al. 2017, eq. 7). */
    public record Policy(NDArray loss, NDArray ratio) {}

    public static Policy policy(NDArray logProbs, NDArray oldLogProbs, NDArray advantages, NDArray mask, float clip) {
        NDArray ratio = logProbs.sub(oldLogProbs).exp();
        NDArray surrogate = ratio.mul(advantages).minimum(ratio.clip(1 - clip, 1 + clip).mul(advantages));
        return new Policy(maskedMean(surrogate, mask).neg(), ratio);
    }

    /** Value regression to the returns, with the prediction's move from the old value clipped. */
    public static NDArray value(NDArray predicted, NDArray oldValues, NDArray returns, NDArray mask, float clip) {
        NDArray clipped = oldValues.add(predicted.sub(oldValues).clip(-clip, clip));
        NDArray loss = predicted.sub(returns).square().maximum(clipped.sub(returns).square());
        return OwnedArrays.scale(maskedMean(loss, mask), 0.5f);
    }

    public static NDArray maskedMean(NDArray x, NDArray mask) {
        return x.mul(mask).sum().div(mask.sum());
    }
}
