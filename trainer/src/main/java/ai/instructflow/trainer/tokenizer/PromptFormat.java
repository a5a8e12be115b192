package ai.instructflow.trainer.tokenizer;

import java.util.Arrays;

/**
 * How a prompt and its response become one token sequence: BOS, the prompt, a newline, the
 * response, a newline. The response's newline is the stop token the model learns to emit.
 */
public final class PromptFormat {

    public static final int STOP = '\n';

    private final Tokenizer tokenizer;

    public PromptFormat(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public int[] prompt(String prompt) {
        int[] text = tokenizer.encode(prompt.replace('\n', ' '));
        int[] out = new int[text.length + 2];
        out[0] = tokenizer.bos();
        System.arraycopy(text, 0, out, 1, text.length);
        out[out.length - 1] = STOP;
        return out;
    }

    public int[] response(String response) {
        int[] text = tokenizer.encode(response.replace('\n', ' '));
        int[] out = Arrays.copyOf(text, text.length + 1);
        out[text.length] = STOP;
        return out;
    }

    public boolean isStop(int token) {
        return token == STOP || token == tokenizer.eos();
    }

    /** The prompt's text back from {@link #prompt}'s tokens: what follows BOS, up to the stop token. */
    public String promptText(int[] tokens) {
        return responseText(Arrays.copyOfRange(tokens, 1, tokens.length));
    }

    /** The response's text: everything before the first stop token. */
    public String responseText(int[] tokens) {
        int end = 0;
        while (end < tokens.length && !isStop(tokens[end])) {
            end++;
        }
        return tokenizer.decode(tokens, 0, end);
    }
}
