package ai.instructflow.helm.topology;

import ai.instructflow.workflows.labeling.LabelingActivities;
import io.temporal.activity.ActivityInterface;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.util.List;

/**
 * The shard activities a run's pipeline has handed to workers and not yet seen finish, as the Temporal service
 * tells them ({@code temporal workflow describe}): which worker holds which one, in which attempt. The test asks
 * the service rather than a worker, because the service decides whether a shard is lost.
 */
final class PendingShards implements AutoCloseable {

    /**
     * The activity type of {@code LabelingActivities.generate}, one shard: its interface's prefix, then the method's
     * name as Temporal capitalises it.
     */
    private static final String SHARD =
            LabelingActivities.class.getAnnotation(ActivityInterface.class).namePrefix() + "Generate";

    /** One shard activity being worked on: its activity id, the worker's identity (pid@pod), the attempt. */
    record Held(String activityId, String worker, int attempt) {}

    private final WorkflowServiceStubs service;

    PendingShards(String target) {
        service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
    }

    /** The shards of run {@code runId} that a worker has started and not finished. */
    List<Held> held(String runId) {
        return service.blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace("default")
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(runId))
                        .build())
                .getPendingActivitiesList().stream()
                .filter(a -> a.getActivityType().getName().equals(SHARD)
                        && a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED)
                .map(a -> new Held(a.getActivityId(), a.getLastWorkerIdentity(), a.getAttempt()))
                .toList();
    }

    @Override
    public void close() {
        service.shutdownNow();
    }
}
