package ai.instructflow.trainer.hf;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A model folder that this trainer cannot honour exactly, with every problem found (not only the
 * first), so a team fixes its upload in one round instead of one error at a time.
 */
public final class UnsupportedCheckpointException extends Exception {

    /**
     * @param subject the file, config field or tensor at fault, e.g. {@code config.json: n_head}
     * @param message what is wrong with it
     */
    public record Problem(String subject, String message) {
        @Override
        public String toString() {
            return subject + ": " + message;
        }
    }

    private final List<Problem> problems;

    public UnsupportedCheckpointException(String folder, List<Problem> problems) {
        super(folder + " is not a GPT-2 checkpoint this trainer can load:\n  "
                + problems.stream().map(Problem::toString).collect(Collectors.joining("\n  ")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
