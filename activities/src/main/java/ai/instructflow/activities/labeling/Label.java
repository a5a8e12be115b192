package ai.instructflow.activities.labeling;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One labeler's answer to one task, as stored: a {@code completion} for a demonstration task, or
 * {@code ranks} for a ranking task (ranks[i] is response i's place, 0 best; equal ranks tie).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Label(int task, String labeler, String completion, int[] ranks) {}
