package ai.instructflow.workflows.labeling;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * What a queue can say about itself: {@code completed} tasks have all their labels; {@code available}
 * tasks still want a label and are not leased (the queue's depth); {@code labelers} counts each
 * labeler's labels. {@code endedBy} is null while open, else quota, deadline or closed.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record QueueState(QueueSpec spec, boolean open, String endedBy, int completed, long labels, int leased,
                         int available, Map<String, Integer> labelers, long openedAt, long now) {}
