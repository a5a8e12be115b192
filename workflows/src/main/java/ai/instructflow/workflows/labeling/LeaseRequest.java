package ai.instructflow.workflows.labeling;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A labeler, of {@code group} (from their token; null for none), asking for up to {@code max} tasks:
 * one for a person at a page, a batch for a simulated labeler, who also names the {@code range} its
 * schedule gives it (null: the first open tasks, as for people).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LeaseRequest(String labeler, String group, int max, TaskRange range) {

    public LeaseRequest(String labeler, String group, int max) {
        this(labeler, group, max, null);
    }
}
