package ai.instructflow.trainer.model;

import java.util.Locale;

/**
 * Shape of a GPT-2 style model. Presets: {@code tiny} is sized so the whole local pipeline runs in
 * minutes on a 2-core laptop and still learns the task suite; {@code small} is the benchmark shape.
 */
public record GPTConfig(int vocabSize, int dModel, int layers, int heads, int context, float dropout) {

    public GPTConfig {
        if (dModel % heads != 0) {
            throw new IllegalArgumentException("dModel " + dModel + " is not a multiple of heads " + heads);
        }
    }

    public static GPTConfig preset(String name, int vocabSize) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "tiny" -> new GPTConfig(vocabSize, 128, 4, 4, 96, 0.0f);
            case "small" -> new GPTConfig(vocabSize, 256, 4, 8, 256, 0.1f);
            default -> throw new IllegalArgumentException("unknown model preset '" + name + "' (tiny, small)");
        };
    }

    public int headDim() {
        return dModel / heads;
    }

    public GPTConfig withDropout(float p) {
        return new GPTConfig(vocabSize, dModel, layers, heads, context, p);
    }

    /** Parameters outside the embeddings: the count that drives FLOPs (PaLM appendix B). */
    public long nonEmbeddingParams() {
        long perLayer = 12L * dModel * dModel + 13L * dModel;
        return layers * perLayer + 2L * dModel + (long) vocabSize * dModel;
    }

    /**
     * Training FLOPs per token, PaLM appendix B: 6N for the matmuls with parameters (forward 2N,
     * backward 4N) plus 12 * layers * dModel * seqLen for attention scores and their weighted sum.
     */
    public double trainFlopsPerToken(int seqLen) {
        return 6.0 * nonEmbeddingParams() + 12.0 * layers * dModel * seqLen;
    }
}
