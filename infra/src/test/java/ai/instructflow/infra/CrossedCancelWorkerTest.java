package ai.instructflow.infra;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The same race as {@link CrossedCancelGuardTest}, through the SDK's own worker as the platform's
 * workflows meet it: the workflow task that handles a run's cancel is still being decided when the
 * activity it cancels completes. The run must end, where without the guard it waits forever.
 */
class CrossedCancelWorkerTest {

    private static final String QUEUE = "crossed-cancel";

    /** Set by the test: completes the running activity, from inside the workflow task that cancels it. */
    private static volatile Runnable completeTheActivity;
    private static final CompletableFuture<byte[]> ACTIVITY_TOKEN = new CompletableFuture<>();
    private static final AtomicBoolean CROSSED = new AtomicBoolean();

    @WorkflowInterface
    public interface Staged {
        @WorkflowMethod
        String run();
    }

    @ActivityInterface
    public interface Stage {
        String work();

        void record();
    }

    public static final class StagedImpl implements Staged {
        @Override
        public String run() {
            Stage stage = Workflow.newActivityStub(Stage.class, ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofMinutes(1))
                    .setCancellationType(ActivityCancellationType.TRY_CANCEL)
                    .build());
            try {
                return stage.work();
            } catch (ActivityFailure | CanceledFailure cancelled) {
                // this task also asks the service to cancel the activity; it completes before that request arrives
                if (!CROSSED.get()) {
                    // a client may not be called from a workflow's thread: another one calls it, this one waits
                    CompletableFuture.runAsync(completeTheActivity).join();
                    CROSSED.set(true);
                }
                Workflow.newDetachedCancellationScope(stage::record).run();
                throw cancelled;
            }
        }
    }

    public static final class StageImpl implements Stage {
        @Override
        public String work() {
            ACTIVITY_TOKEN.complete(Activity.getExecutionContext().getTaskToken());
            Activity.getExecutionContext().doNotCompleteOnReturn();
            return null;
        }

        @Override
        public void record() {}
    }

    @Test
    void aRunCancelledAsItsActivityCompletesEnds() throws Exception {
        try (EmbeddedTemporal temporal = EmbeddedTemporal.start("127.0.0.1", 0)) {
            WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
                    WorkflowServiceStubsOptions.newBuilder().setChannel(temporal.channel()).build());
            WorkflowClient client = WorkflowClient.newInstance(service);
            WorkerFactory workers = WorkerFactory.newInstance(client);
            Worker worker = workers.newWorker(QUEUE);
            worker.registerWorkflowImplementationTypes(StagedImpl.class);
            worker.registerActivitiesImplementations(new StageImpl());
            workers.start();
            try {
                completeTheActivity = () -> client.newActivityCompletionClient().complete(ACTIVITY_TOKEN.join(), "done");
                Staged run = client.newWorkflowStub(Staged.class, WorkflowOptions.newBuilder()
                        .setWorkflowId("crossed-cancel-run").setTaskQueue(QUEUE).build());
                WorkflowStub untyped = WorkflowStub.fromTyped(run);
                WorkflowClient.start(run::run);
                ACTIVITY_TOKEN.get(30, TimeUnit.SECONDS);
                untyped.cancel();

                CompletableFuture<String> ended = untyped.getResultAsync(String.class);
                try {
                    ended.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException cancelledOrFailed) {
                    // how it ended is the status below; that it ended is the point
                }
                assertTrue(CROSSED.get(), "the activity completed inside the workflow task that cancelled it");
                WorkflowExecutionStatus status = untyped.describe().getStatus();
                assertTrue(EnumSet.of(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED,
                        WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED).contains(status), status.toString());
            } finally {
                workers.shutdownNow();
                workers.awaitTermination(5, TimeUnit.SECONDS);
                service.shutdownNow();
            }
        }
    }
}
