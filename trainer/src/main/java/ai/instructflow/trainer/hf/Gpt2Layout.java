package ai.instructflow.trainer.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.instructflow.trainer.model.GPTConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * How Hugging Face's GPT-2 tensor names and shapes map onto {@link ai.instructflow.trainer.model.GPT}'s
 * parameters. GPT-2 keeps its projections in {@code Conv1D} modules whose weight is [in, out], the
 * transpose of the [out, in] a linear layer (and ours) stores; embeddings, LayerNorms and biases
 * are the same either way. Names are without the {@code transformer.} prefix that checkpoints from
 * {@code GPT2LMHeadModel} and {@code GPT2ForSequenceClassification} carry.
 */
public final class Gpt2Layout {

    /** One parameter: the Hugging Face name and shape, ours, and whether the two are transposed. */
    public record Tensor(String hfName, long[] hfShape, String name, boolean conv1d) {}

    private Gpt2Layout() {}

    /** The body: embeddings, every block, the final LayerNorm (no heads). */
    public static List<Tensor> body(GPTConfig c) {
        long d = c.dModel();
        List<Tensor> out = new ArrayList<>();
        out.add(new Tensor("wte.weight", new long[] {c.vocabSize(), d}, "wte", false));
        out.add(new Tensor("wpe.weight", new long[] {c.context(), d}, "wpe", false));
        for (int l = 0; l < c.layers(); l++) {
            String h = "h." + l + ".";
            layerNorm(out, h + "ln_1", h + "ln1", d);
            conv1d(out, h + "attn.c_attn", h + "attn", d, 3 * d);
            conv1d(out, h + "attn.c_proj", h + "proj", d, d);
            layerNorm(out, h + "ln_2", h + "ln2", d);
            conv1d(out, h + "mlp.c_fc", h + "fc", d, 4 * d);
            conv1d(out, h + "mlp.c_proj", h + "out", 4 * d, d);
        }
        layerNorm(out, "ln_f", "lnf", d);
        return out;
    }

    /** An untied LM head, stored at the top level (not under {@code transformer.}). */
    public static Tensor lmHead(GPTConfig c) {
        return new Tensor("lm_head.weight", new long[] {c.vocabSize(), c.dModel()}, "lm_head.w", false);
    }

    /** The sequence-classification head with one label; Hugging Face's has no bias. */
    public static Tensor score(GPTConfig c) {
        return new Tensor("score.weight", new long[] {1, c.dModel()}, "score.w", false);
    }

    /**
     * The causal-mask buffers that older transformers versions saved with the weights: constants,
     * not parameters, and our attention builds its own mask.
     */
    public static boolean isMaskBuffer(String hfName) {
        return hfName.matches("h\\.\\d+\\.attn\\.(bias|masked_bias)");
    }

    private static void layerNorm(List<Tensor> out, String hf, String ours, long d) {
        out.add(new Tensor(hf + ".weight", new long[] {d}, ours + ".g", false));
        out.add(new Tensor(hf + ".bias", new long[] {d}, ours + ".b", false));
    }

    private static void conv1d(List<Tensor> out, String hf, String ours, long in, long outDim) {
        out.add(new Tensor(hf + ".weight", new long[] {in, outDim}, ours + ".w", true));
        out.add(new Tensor(hf + ".bias", new long[] {outDim}, ours + ".b", false));
    }

    /**
     * {@code w} transposed (Conv1D [in, out] to a linear layer's [out, in] and back), in memory of
     * its own under {@code manager}. reshape(-1) of a transposed view cannot alias it, so libtorch
     * copies it into dense row-major memory, whatever later reads its bytes.
     */
    public static NDArray transposed(NDArray w, NDManager manager) {
        try (NDArray view = w.transpose(); NDArray flat = view.reshape(-1)) {
            NDArray out = flat.reshape(view.getShape());
            out.attach(manager);
            return out;
        }
    }
}
