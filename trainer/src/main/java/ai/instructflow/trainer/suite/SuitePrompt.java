package ai.instructflow.trainer.suite;

import java.util.Arrays;
import java.util.Optional;

/** One prompt of the suite with its canonical answer (single lines; the end-of-response newline is not part of either). */
public record SuitePrompt(Task task, String prompt, String answer) {

    /** Recognises prompt text in the suite's form, e.g. one read back from a dataset. */
    public static Optional<SuitePrompt> parse(String prompt) {
        return Arrays.stream(Task.values())
                .flatMap(t -> t.answer(prompt).map(a -> new SuitePrompt(t, prompt, a)).stream())
                .findFirst();
    }
}
