package ai.instructflow.workflows;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One RLHF run: the workflow id is the run id. A running stage's progress is not the workflow's to
 * hold: it travels in its activity's heartbeats, which the service keeps without adding to the
 * run's history, and readers ask the service for it (a describe), never a worker.
 */
@WorkflowInterface
public interface PipelineWorkflow {

    /** Runs every stage in order; returns the evaluation's result. */
    @WorkflowMethod
    StageResult run(RunSpec spec);
}
