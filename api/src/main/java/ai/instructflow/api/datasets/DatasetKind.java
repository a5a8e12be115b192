package ai.instructflow.api.datasets;

import ai.instructflow.activities.stages.Datasets;
import ai.instructflow.activities.stages.TeamPrompts;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import ai.instructflow.workflows.Stage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The kinds of dataset a user may bring, and the two a run collects: the name the API uses, the
 * collect stage that writes one (none for prompts, which only come in), its artifacts, and the
 * formats it exports to.
 */
enum DatasetKind {

    DEMONSTRATIONS("demonstrations", Stage.COLLECT_DEMONSTRATIONS, "eval", List.of("jsonl")),
    COMPARISONS("comparisons", Stage.COLLECT_COMPARISONS, "held_out", List.of("rankings", "pairs")),
    PROMPTS("prompts", null, null, List.of());

    static final List<String> SPLITS = List.of("train", "held_out", "all");

    final String id;
    final Stage stage;
    final String heldOut;
    /** The first is the stage's own format, exported as stored; the others are converted. */
    final List<String> formats;

    DatasetKind(String id, Stage stage, String heldOut, List<String> formats) {
        this.id = id;
        this.stage = stage;
        this.heldOut = heldOut;
        this.formats = formats;
    }

    static Optional<DatasetKind> of(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
    }

    /** The collect stage's artifacts that make up {@code split}, one of {@link #SPLITS}. */
    List<String> artifacts(String split) {
        return switch (split) {
            case "train" -> List.of("train");
            case "held_out" -> List.of(heldOut);
            default -> List.of("train", heldOut);
        };
    }

    /** What a checked file holds: its rows, and for prompts the split and the repeats dropped. */
    record Contents(int count, Integer train, Integer heldOut, Integer duplicates) {}

    /** Checks a whole file of this kind, refusing it with a DatasetException. */
    Contents check(InputStream in, PromptFormat format) throws IOException {
        return switch (this) {
            case DEMONSTRATIONS -> new Contents(Datasets.countDemonstrations(in, format), null, null, null);
            case COMPARISONS -> new Contents(Datasets.countComparisons(in, format), null, null, null);
            case PROMPTS -> {
                TeamPrompts prompts = Datasets.readPrompts(in);
                yield new Contents(prompts.train().size() + prompts.heldOut().size(), prompts.train().size(),
                        prompts.heldOut().size(), prompts.duplicates());
            }
        };
    }

    /** Whether a run collects datasets of this kind, so they can be exported from it. */
    boolean collected() {
        return stage != null;
    }
}
