package ai.instructflow.workflows;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One RLHF run: the workflow id is the run id. */
@WorkflowInterface
public interface PipelineWorkflow {

    /** Runs every stage in order; returns the evaluation's result. */
    @WorkflowMethod
    StageResult run(RunSpec spec);

    /** Live state: status, current stage, and each stage's step and latest metrics. */
    @QueryMethod
    RunState state();

    /** Sent by stage activities as they go, so that {@link #state()} can answer without them. */
    @SignalMethod
    void progress(StageProgress progress);
}
