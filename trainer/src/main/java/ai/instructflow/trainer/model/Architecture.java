package ai.instructflow.trainer.model;

/**
 * The choices inside a GPT-2 block that differ between our byte-level presets and Hugging Face
 * GPT-2 checkpoints. {@link #DEFAULT} is what every run used before imported models existed, so
 * presets and checkpoints written without this field behave exactly as they did.
 *
 * @param layerNormEpsilon added to the variance in every LayerNorm (1e-5 in both)
 * @param activation the MLP's non-linearity
 * @param tiedLmHead the unembedding is the token embedding {@code wte} itself (GPT-2 does this),
 *     so there is no separate {@code lm_head.w} parameter
 */
public record Architecture(float layerNormEpsilon, Activation activation, boolean tiedLmHead) {

    /** Exact GELU, eps 1e-5, a separate LM head: today's byte-level presets. */
    public static final Architecture DEFAULT = new Architecture(1e-5f, Activation.GELU, false);

    public Architecture {
        if (!(layerNormEpsilon > 0) || activation == null) {
            throw new IllegalArgumentException("layerNormEpsilon > 0 and an activation are required");
        }
    }

    /** Hugging Face GPT-2 as published: tanh-approximated GELU, LM head tied to the embedding. */
    public static Architecture gpt2(float layerNormEpsilon) {
        return new Architecture(layerNormEpsilon, Activation.GELU_TANH, true);
    }

    public enum Activation {
        /** x * Phi(x), the exact Gaussian CDF form. Hugging Face calls it {@code gelu}. */
        GELU,
        /**
         * 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), what the original GPT-2 was trained with;
         * Hugging Face's {@code gelu_new} and {@code gelu_pytorch_tanh}.
         */
        GELU_TANH
    }
}
