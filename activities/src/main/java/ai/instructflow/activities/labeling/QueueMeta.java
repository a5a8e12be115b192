package ai.instructflow.activities.labeling;

import ai.instructflow.workflows.labeling.LabelingKind;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What a queue's folder says about its tasks beside the tasks file: their kind and number, K, and
 * the temperature at which the simulated labelers of these samples agree as the paper's did.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record QueueMeta(LabelingKind kind, int tasks, int k, double labelerTemperature, String createdAt) {}
