package ai.instructflow.api.labeling;

import ai.instructflow.workflows.labeling.LabelingKind;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A queue that takes labels now, with the run it belongs to. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OpenQueue(String runId, String runName, String stage, LabelingKind kind, QueueView queue) {}
