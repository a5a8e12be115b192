package ai.instructflow.api.datasets;

import ai.instructflow.activities.stages.Datasets;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import ai.instructflow.workflows.Stage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The two kinds of dataset a run collects and a user may bring: the name the API uses, the collect
 * stage that writes one, its artifacts, and the formats it exports to.
 */
enum DatasetKind {

    DEMONSTRATIONS("demonstrations", Stage.COLLECT_DEMONSTRATIONS, "eval", List.of("jsonl")),
    COMPARISONS("comparisons", Stage.COLLECT_COMPARISONS, "held_out", List.of("rankings", "pairs"));

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

    /** Checks a whole file of this kind, refusing it with a DatasetException; returns its row count. */
    int count(InputStream in, PromptFormat format) throws IOException {
        return this == DEMONSTRATIONS ? Datasets.countDemonstrations(in, format) : Datasets.countComparisons(in, format);
    }
}
