package ai.instructflow.activities.labeling;

/**
 * The longest prompt and response any text that reaches training may be, in chars, whether it is
 * imported from a file or submitted by a labeler. The models' contexts are a few hundred tokens, so
 * longer text would only be truncated; the limits catch a pasted document or a wrong field early
 * and bound what one row or one submission can cost to store and tokenize.
 */
public final class TextLimits {

    public static final int MAX_PROMPT_CHARS = 2000;
    public static final int MAX_RESPONSE_CHARS = 4000;

    private TextLimits() {}
}
