package ai.instructflow.activities.stages;

import ai.instructflow.workflows.StageActivities;
import ai.instructflow.workflows.StageInput;
import ai.instructflow.workflows.StageResult;

/**
 * The stage activities, each its {@link PipelineStage} run by the {@link StageRunner}. Model stages
 * run on this worker's device.
 */
public final class StageActivitiesImpl implements StageActivities {

    private final StageRunner runner;

    public StageActivitiesImpl(StageRunner runner) {
        this.runner = runner;
    }

    @Override
    public StageResult collectDemonstrations(StageInput in) {
        return runner.run(in, PipelineStages.COLLECT_DEMONSTRATIONS);
    }

    @Override
    public StageResult supervisedFineTuning(StageInput in) {
        return runner.run(in, PipelineStages.SFT);
    }

    @Override
    public StageResult collectComparisons(StageInput in) {
        return runner.run(in, PipelineStages.COLLECT_COMPARISONS);
    }

    @Override
    public StageResult trainRewardModel(StageInput in) {
        return runner.run(in, PipelineStages.RM);
    }

    @Override
    public StageResult optimizePolicy(StageInput in) {
        return runner.run(in, PipelineStages.PPO);
    }

    @Override
    public StageResult optimizeDirectly(StageInput in) {
        return runner.run(in, PipelineStages.DPO);
    }

    @Override
    public StageResult evaluate(StageInput in) {
        return runner.run(in, PipelineStages.EVALUATE);
    }
}
