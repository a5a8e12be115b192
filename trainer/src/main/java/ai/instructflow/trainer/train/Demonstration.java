package ai.instructflow.trainer.train;

import ai.instructflow.trainer.tokenizer.PromptFormat;

/** A prompt and the response to imitate, as tokens (see PromptFormat). */
public record Demonstration(int[] prompt, int[] response) {

    /** The texts as the policy reads and writes them in {@code format}. */
    public static Demonstration of(PromptFormat format, String prompt, String response) {
        return new Demonstration(format.prompt(prompt), format.response(response));
    }

    public int[] sequence() {
        int[] out = new int[prompt.length + response.length];
        System.arraycopy(prompt, 0, out, 0, prompt.length);
        System.arraycopy(response, 0, out, prompt.length, response.length);
        return out;
    }
}
