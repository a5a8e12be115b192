package ai.instructflow.api.labeling;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A person's label for a leased task: a {@code completion} for a demonstration task, {@code ranks}
 * for a ranking task (ranks[i] is response i's place, 0 best), or a {@code choice} (left, right or
 * tie) and optional 1-7 {@code ratings} (left, right) for a verdict task. {@code submissionId} is
 * chosen by the client once per task, so a retried request counts once.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SubmitRequest(Integer taskId, String submissionId, String completion, int[] ranks, String choice,
                            int[] ratings) {}
