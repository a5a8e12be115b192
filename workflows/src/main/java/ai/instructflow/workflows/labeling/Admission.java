package ai.instructflow.workflows.labeling;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Who may take a queue's tasks, where not everyone may: only labelers whose token carries
 * {@code group}, and none of {@code excluded} (held-out judges must not have labeled the run's
 * training data, as the paper's held-out labelers did not).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Admission(String group, List<String> excluded) {

    public Admission {
        excluded = excluded == null ? List.of() : List.copyOf(excluded);
    }

    /** Why {@code labeler} of {@code labelerGroup} may not take tasks here, or null when they may. */
    public String refusal(String labeler, String labelerGroup) {
        if (!group.equals(labelerGroup)) {
            return "only labelers of group '" + group + "' may take these tasks; "
                    + (labelerGroup == null ? "your token carries no group" : "yours is '" + labelerGroup + "'");
        }
        if (excluded.contains(labeler)) {
            return labeler + " labeled this run's training data, so may not judge it";
        }
        return null;
    }
}
