package ai.instructflow.trainer.tokenizer;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Arrays;

/**
 * How a prompt and its response become one token sequence. The default ({@link Template#DEFAULT})
 * is BOS, the prompt, a newline, the response, a newline: the response's newline is the stop token
 * the model learns to emit. A base model pretrained on other conventions can be given its own
 * {@link Template} (say, responses ending with GPT-2's {@code <|endoftext|>}).
 */
public final class PromptFormat {

    /** The stop token of the default template with the byte tokenizer: the newline byte. */
    public static final int STOP = '\n';

    /**
     * How a prompt and its response become one sequence; a run spec's {@code prompt_format} (for a
     * run from a base model, whose pretraining fixed what its special tokens mean).
     *
     * @param bos start the prompt with the tokenizer's BOS
     * @param separator text after the prompt, encoded on its own; occurrences inside a prompt (and,
     *     unless the response ends with EOS, inside a response) become spaces, so the model only
     *     ever sees it where it means "the prompt is over"
     * @param endWithEos the response ends with the tokenizer's EOS; otherwise with the separator,
     *     which must then be a single token
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Template(boolean bos, String separator, boolean endWithEos) {

        /** BOS, prompt, "\n", response, "\n": the format every run used before templates existed. */
        public static final Template DEFAULT = new Template(true, "\n", false);

        public Template {
            if (separator == null || separator.isEmpty()) {
                throw new IllegalArgumentException("the separator after the prompt must not be empty");
            }
        }
    }

    private final Tokenizer tokenizer;
    private final Template template;
    private final int[] separator;

    public PromptFormat(Tokenizer tokenizer) {
        this(tokenizer, Template.DEFAULT);
    }

    public PromptFormat(Tokenizer tokenizer, Template template) {
        this.tokenizer = tokenizer;
        this.template = template;
        this.separator = tokenizer.encode(template.separator());
        if (!template.endWithEos() && separator.length != 1) {
            throw new IllegalArgumentException("the separator \"" + template.separator().replace("\n", "\\n")
                    + "\" is " + separator.length + " tokens; a response can only end with it if it is one");
        }
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public Template template() {
        return template;
    }

    public int[] prompt(String prompt) {
        int[] text = tokenizer.encode(prompt.replace(template.separator(), " "));
        int start = template.bos() ? 1 : 0;
        int[] out = new int[start + text.length + separator.length];
        if (template.bos()) {
            out[0] = tokenizer.bos();
        }
        System.arraycopy(text, 0, out, start, text.length);
        System.arraycopy(separator, 0, out, start + text.length, separator.length);
        return out;
    }

    public int[] response(String response) {
        String text = template.endWithEos() ? response : response.replace(template.separator(), " ");
        int[] ids = tokenizer.encode(text);
        int[] out = Arrays.copyOf(ids, ids.length + 1);
        out[ids.length] = template.endWithEos() ? tokenizer.eos() : separator[0];
        return out;
    }

    public boolean isStop(int token) {
        return token == tokenizer.eos() || (!template.endWithEos() && token == separator[0]);
    }

    /** The prompt's text back from {@link #prompt}'s tokens: what lies between BOS and the separator. */
    public String promptText(int[] tokens) {
        int start = template.bos() && tokens.length > 0 && tokens[0] == tokenizer.bos() ? 1 : 0;
        int end = tokens.length;
        if (end - start >= separator.length
                && Arrays.equals(tokens, end - separator.length, end, separator, 0, separator.length)) {
            end -= separator.length;
        }
        return tokenizer.decode(tokens, start, end);
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
