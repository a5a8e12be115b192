package ai.instructflow.activities.labeling;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** A judge's pick between the two responses of a verdict task, as shown: left, right, or neither. */
public enum VerdictChoice {
    LEFT("left"),
    RIGHT("right"),
    TIE("tie");

    private final String id;

    VerdictChoice(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    /** Null for an id that names no choice, so a submission's check can say which field is wrong. */
    @JsonCreator
    public static VerdictChoice of(String id) {
        return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst().orElse(null);
    }
}
