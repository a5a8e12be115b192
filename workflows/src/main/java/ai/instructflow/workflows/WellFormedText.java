package ai.instructflow.workflows;

/**
 * Text a person typed, as every entry point takes it: run names, token subjects, labels, uploaded
 * datasets. Java strings hold UTF-16, so a JSON escape can smuggle in a lone surrogate, which has no
 * UTF-8 form and turns into '?' in storage keys and logs; NUL ends C strings in the native layers and
 * terminals that show the text.
 */
public final class WellFormedText {

    public static final String REASON = "must be valid UTF-8 text without NUL characters";

    private WellFormedText() {}

    public static boolean check(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
