package ai.instructflow.workflows.labeling;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A labeler, of {@code group} (from their token; null for none), asking for up to {@code max} tasks:
 * one for a person at a page, a batch for a simulated labeler.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LeaseRequest(String labeler, String group, int max) {}
