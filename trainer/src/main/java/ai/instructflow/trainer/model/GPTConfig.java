package ai.instructflow.trainer.model;

import java.util.Locale;

/**
 * Shape of a GPT-2 style model. Presets: {@code tiny} is sized so the whole local pipeline runs in
 * minutes on a 2-core laptop and still learns the task suite; {@code small} is the benchmark shape;
 * {@code gpt2} is GPT-2 small (124M parameters, context 1024, tied head, tanh GELU) for benchmarks
 * with the 50,257-token vocabulary.
 *
 * <p>{@code architecture} absent (null, as in checkpoints written before it existed) means
 * {@link Architecture#DEFAULT}.
 */
public record GPTConfig(int vocabSize, int dModel, int layers, int heads, int context, float dropout,
                        Architecture architecture) {

    /** GPT-2's vocabulary: 50,000 merges, 256 byte tokens and {@code <|endoftext|>}. */
    public static final int GPT2_VOCAB = 50257;

    public GPTConfig {
        if (dModel % heads != 0) {
            throw new IllegalArgumentException("dModel " + dModel + " is not a multiple of heads " + heads);
        }
        if (architecture == null) {
            architecture = Architecture.DEFAULT;
        }
    }

    /** A model with the default architecture. */
    public GPTConfig(int vocabSize, int dModel, int layers, int heads, int context, float dropout) {
        this(vocabSize, dModel, layers, heads, context, dropout, Architecture.DEFAULT);
    }

    public static GPTConfig preset(String name, int vocabSize) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "tiny" -> new GPTConfig(vocabSize, 128, 4, 4, 96, 0.0f);
            case "small" -> new GPTConfig(vocabSize, 256, 4, 8, 256, 0.1f);
            case "gpt2" -> new GPTConfig(vocabSize, 768, 12, 12, 1024, 0.1f, Architecture.gpt2(1e-5f));
            default -> throw new IllegalArgumentException("unknown model preset '" + name + "' (tiny, small, gpt2)");
        };
    }

    public int headDim() {
        return dModel / heads;
    }

    public GPTConfig withDropout(float p) {
        return new GPTConfig(vocabSize, dModel, layers, heads, context, p, architecture);
    }

    /** Weights of the body: embeddings, blocks and the final LayerNorm, no head. */
    public long bodyParameters() {
        long perLayer = 12L * dModel * dModel + 13L * dModel;
        long embeddings = (long) vocabSize * dModel + (long) context * dModel;
        return layers * perLayer + 2L * dModel + embeddings;
    }

    /** Every weight of a model with an LM head (a tied head adds none), as Hugging Face counts them. */
    public long parameters() {
        return bodyParameters() + (architecture.tiedLmHead() ? 0 : (long) vocabSize * dModel);
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
