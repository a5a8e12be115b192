package ai.instructflow.workflows.labeling;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A collect stage's labeling queue as an entity workflow (id {@link LabelingQueues#id}): labelers
 * lease tasks and submit labels through Updates, which Temporal makes atomic, durable and answered
 * synchronously; people (through the API) and simulated labelers use exactly these calls.
 */
@WorkflowInterface
public interface LabelingQueueWorkflow {

    /** Serves the queue until its quota is met, its deadline passes or it is closed; returns its final state. */
    @WorkflowMethod
    QueueState run(QueueSpec spec);

    /** The tasks this labeler holds (the same ones again while the lease lasts), or new ones, or none with the reason. */
    @UpdateMethod
    LeaseGrant lease(LeaseRequest request);

    @UpdateValidatorMethod(updateName = "lease")
    void validateLease(LeaseRequest request);

    /** Counts a labeler's labels for leased tasks; a repeat of counted labels is acknowledged as a duplicate. */
    @UpdateMethod
    SubmitAck submit(LabelBatch batch);

    @UpdateValidatorMethod(updateName = "submit")
    void validateSubmit(LabelBatch batch);

    /** Ends collection now, keeping every label so far. */
    @UpdateMethod
    QueueState close();

    @QueryMethod
    QueueState state();
}
