package ai.instructflow.workflows.labeling;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/**
 * What a queue's tasks ask of a labeler. The queue workflow treats every kind alike; what differs
 * (making tasks, checking a label, a simulated person's answer, the dataset, agreement) is the kind's
 * {@code TaskKind} implementation in the activities.
 */
public enum LabelingKind {
    /** Write the response you would want for a prompt (InstructGPT section 3.2). */
    DEMONSTRATION("demonstration"),
    /** Rank K model outputs for a prompt, best first (InstructGPT section 3.2). */
    RANKING("ranking"),
    /** Pick the better of two policies' completions of one prompt, shown blind (InstructGPT section 4). */
    VERDICT("verdict");

    private final String id;

    LabelingKind(String id) {
        this.id = id;
    }

    /** Its name in the API, the pages and the stored queue. */
    @JsonValue
    public String id() {
        return id;
    }

    @JsonCreator
    public static LabelingKind of(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no labeling kind '" + id + "'"));
    }
}
