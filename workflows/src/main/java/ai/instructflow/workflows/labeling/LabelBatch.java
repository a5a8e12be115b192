package ai.instructflow.workflows.labeling;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * One submission: a labeler's labels for {@code tasks}, already stored as the object {@code key}
 * with that sha256 (texts go to object storage before the update that references them).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LabelBatch(String labeler, String submissionId, List<Integer> tasks, String key, String sha256) {}
