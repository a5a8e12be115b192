package ai.instructflow.activities.stages;

import ai.instructflow.trainer.pipeline.TeamPool;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * A team's prompt file as the stages use it: each prompt once, train and held-out apart (a prompt
 * listed on both sides is held out, so it never reaches training), and how many repeats were dropped.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TeamPrompts(List<String> train, List<String> heldOut, int duplicates) {

    public TeamPool pool() {
        return new TeamPool(train, heldOut);
    }
}
