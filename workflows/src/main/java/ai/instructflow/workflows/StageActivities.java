package ai.instructflow.workflows;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The stages as activities. Each is idempotent: when this run already holds the stage's verified
 * outputs for the same inputs and settings (a resume), or the cache holds another run's, it returns
 * them without recomputing; a retried attempt continues from its last checkpoint.
 */
@ActivityInterface
public interface StageActivities {

    @ActivityMethod(name = "collect-demonstrations")
    StageResult collectDemonstrations(StageInput input);

    @ActivityMethod(name = "sft")
    StageResult supervisedFineTuning(StageInput input);

    @ActivityMethod(name = "collect-comparisons")
    StageResult collectComparisons(StageInput input);

    @ActivityMethod(name = "rm")
    StageResult trainRewardModel(StageInput input);

    @ActivityMethod(name = "ppo")
    StageResult optimizePolicy(StageInput input);

    @ActivityMethod(name = "dpo")
    StageResult optimizeDirectly(StageInput input);

    @ActivityMethod(name = "evaluate")
    StageResult evaluate(StageInput input);
}
