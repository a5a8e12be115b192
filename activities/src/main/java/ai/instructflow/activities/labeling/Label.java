package ai.instructflow.activities.labeling;

import ai.instructflow.workflows.FieldError;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One labeler's answer to one task, as stored: a {@code completion} for a demonstration task,
 * {@code ranks} for a ranking task (ranks[i] is response i's place, 0 best; equal ranks tie), or a
 * {@code choice} for a verdict task, with optional 1-7 {@code ratings} of its two responses.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Label(int task, String labeler, String completion, int[] ranks, VerdictChoice choice, int[] ratings) {

    public Label(int task, String labeler, String completion, int[] ranks) {
        this(task, labeler, completion, ranks, null, null);
    }

    /** Refuses each answer field set that is not one of {@code wanted}: "a ranking task takes ranks", say. */
    public void refuseOthers(Set<String> wanted, String takes, List<FieldError> errors) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("completion", completion);
        fields.put("ranks", ranks);
        fields.put("choice", choice);
        fields.put("ratings", ratings);
        fields.forEach((name, value) -> {
            if (value != null && !wanted.contains(name)) {
                errors.add(new FieldError(name, takes + ", not " + name));
            }
        });
    }
}
