package ai.instructflow.trainer.train;

/** A prompt and the response to imitate, as tokens (see PromptFormat). */
public record Demonstration(int[] prompt, int[] response) {

    public int[] sequence() {
        int[] out = new int[prompt.length + response.length];
        System.arraycopy(prompt, 0, out, 0, prompt.length);
        System.arraycopy(response, 0, out, prompt.length, response.length);
        return out;
    }
}
