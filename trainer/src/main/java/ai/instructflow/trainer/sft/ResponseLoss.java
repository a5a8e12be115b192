package ai.instructflow.trainer.sft;

import ai.djl.ndarray.NDArray;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.model.OwnedArrays;
import ai.instructflow.trainer.train.Demonstration;
import ai.instructflow.trainer.train.ResponseLogProbs;
import java.util.List;

/**
 * Causal language-model loss on the response tokens only: the prompt is context, not a target
 * (InstructGPT SFT). Shared by SFT and by PPO-ptx, which mixes this loss into the policy objective.
 */
public final class ResponseLoss {

    /** Mean negative log-likelihood per response token, and how many tokens it averaged. */
    public record Value(NDArray loss, int tokens) {}

    private ResponseLoss() {}

    public static Value of(GPT model, List<Demonstration> batch, int pad, boolean training) {
        ResponseLogProbs logp = ResponseLogProbs.of(model, batch, pad, training);
        return new Value(OwnedArrays.scale(logp.perToken().sum(), -1f / Math.max(1, logp.tokens())), logp.tokens());
    }
}
