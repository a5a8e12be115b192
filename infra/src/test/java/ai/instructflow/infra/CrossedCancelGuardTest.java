package ai.instructflow.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.Durations;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.command.v1.CancelWorkflowExecutionCommandAttributes;
import io.temporal.api.command.v1.Command;
import io.temporal.api.command.v1.RequestCancelActivityTaskCommandAttributes;
import io.temporal.api.command.v1.ScheduleActivityTaskCommandAttributes;
import io.temporal.api.common.v1.ActivityType;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.CommandType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueResponse;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest;
import io.temporal.api.workflowservice.v1.RequestCancelWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The race of temporalio/sdk-java#2391, played out step by step as a worker would, over the embedded
 * service's own gRPC API: a run is cancelled, and its activity completes while the workflow task
 * that handles the cancel is in flight, so that task asks to cancel an activity that has just
 * completed. The run must go on to a next workflow task holding the completion, and so end.
 */
class CrossedCancelGuardTest {

    private static final String NAMESPACE = "default";
    private static final String WORKFLOWS = "crossed-cancel-workflows";
    private static final String ACTIVITIES = "crossed-cancel-activities";

    @Test
    void aCancelThatCrossesAnActivitysCompletionLeadsToANextWorkflowTaskAndTheRunEnds() {
        try (EmbeddedTemporal temporal = EmbeddedTemporal.start("127.0.0.1", 0)) {
            WorkflowServiceBlockingStub service = WorkflowServiceGrpc.newBlockingStub(temporal.channel());
            Started started = runWithAnActivity(service, "crossed-");
            WorkflowExecution run = started.run();
            PollActivityTaskQueueResponse activity = started.activity();

            // the run is cancelled; the worker takes that workflow task, and while it decides, the activity completes
            cancel(service, run);
            PollWorkflowTaskQueueResponse onCancel = pollWorkflowTask(service);
            assertTrue(types(onCancel).contains(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED));
            service.respondActivityTaskCompleted(RespondActivityTaskCompletedRequest.newBuilder()
                    .setNamespace(NAMESPACE).setTaskToken(activity.getTaskToken()).setIdentity("worker").build());

            // the task cancels the activity it believes still runs: refused as unhandled, as a cluster would
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                    () -> complete(service, onCancel, cancelActivity(onCancel)));
            assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode(), refused.getMessage());

            // a next workflow task comes, with the completion in it, and the run can end
            PollWorkflowTaskQueueResponse next = service.withDeadlineAfter(30, TimeUnit.SECONDS)
                    .pollWorkflowTaskQueue(pollRequest());
            assertTrue(types(next).contains(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED), "a next task, with the completion: " + types(next));
            complete(service, next, Command.newBuilder().setCommandType(CommandType.COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION)
                    .setCancelWorkflowExecutionCommandAttributes(CancelWorkflowExecutionCommandAttributes.getDefaultInstance())
                    .build());
            assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED, service.describeWorkflowExecution(
                    DescribeWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE).setExecution(run).build())
                    .getWorkflowExecutionInfo().getStatus());
        }
    }

    @Test
    void aCancelOfAnActivityStillRunningPassesAsItIs() {
        try (EmbeddedTemporal temporal = EmbeddedTemporal.start("127.0.0.1", 0)) {
            WorkflowServiceBlockingStub service = WorkflowServiceGrpc.newBlockingStub(temporal.channel());
            Started started = runWithAnActivity(service, "uncrossed-");
            cancel(service, started.run());

            PollWorkflowTaskQueueResponse onCancel = pollWorkflowTask(service);
            complete(service, onCancel, cancelActivity(onCancel));
            // the activity learns of the cancel on its next heartbeat
            assertTrue(service.recordActivityTaskHeartbeat(RecordActivityTaskHeartbeatRequest.newBuilder()
                    .setNamespace(NAMESPACE).setTaskToken(started.activity().getTaskToken()).build()).getCancelRequested());
        }
    }

    private record Started(WorkflowExecution run, PollActivityTaskQueueResponse activity) {}

    /** A run whose first workflow task scheduled an activity, which a worker has taken. */
    private static Started runWithAnActivity(WorkflowServiceBlockingStub service, String prefix) {
        String workflowId = prefix + UUID.randomUUID();
        WorkflowExecution run = WorkflowExecution.newBuilder().setWorkflowId(workflowId)
                .setRunId(service.startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder()
                        .setNamespace(NAMESPACE).setWorkflowId(workflowId).setRequestId(UUID.randomUUID().toString())
                        .setWorkflowType(WorkflowType.newBuilder().setName("Pipeline"))
                        .setTaskQueue(queue(WORKFLOWS)).build()).getRunId())
                .build();
        complete(service, pollWorkflowTask(service), Command.newBuilder().setCommandType(CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK)
                .setScheduleActivityTaskCommandAttributes(ScheduleActivityTaskCommandAttributes.newBuilder()
                        .setActivityId("stage").setActivityType(ActivityType.newBuilder().setName("Stage"))
                        .setTaskQueue(queue(ACTIVITIES)).setStartToCloseTimeout(Durations.fromMinutes(1)))
                .build());
        return new Started(run, service.pollActivityTaskQueue(PollActivityTaskQueueRequest.newBuilder()
                .setNamespace(NAMESPACE).setTaskQueue(queue(ACTIVITIES)).setIdentity("worker").build()));
    }

    private static PollWorkflowTaskQueueResponse pollWorkflowTask(WorkflowServiceBlockingStub service) {
        PollWorkflowTaskQueueResponse task = service.withDeadlineAfter(30, TimeUnit.SECONDS).pollWorkflowTaskQueue(pollRequest());
        assertTrue(!task.getTaskToken().isEmpty(), "a workflow task was waiting");
        return task;
    }

    private static PollWorkflowTaskQueueRequest pollRequest() {
        return PollWorkflowTaskQueueRequest.newBuilder().setNamespace(NAMESPACE).setTaskQueue(queue(WORKFLOWS))
                .setIdentity("worker").build();
    }

    private static void complete(WorkflowServiceBlockingStub service, PollWorkflowTaskQueueResponse task, Command command) {
        service.respondWorkflowTaskCompleted(RespondWorkflowTaskCompletedRequest.newBuilder().setNamespace(NAMESPACE)
                .setTaskToken(task.getTaskToken()).setIdentity("worker").addCommands(command).build());
    }

    private static void cancel(WorkflowServiceBlockingStub service, WorkflowExecution run) {
        service.requestCancelWorkflowExecution(RequestCancelWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE).setWorkflowExecution(run).setRequestId(UUID.randomUUID().toString()).build());
    }

    /** The command a workflow sends on its cancel: cancel the activity its history shows scheduled. */
    private static Command cancelActivity(PollWorkflowTaskQueueResponse task) {
        long scheduled = task.getHistory().getEventsList().stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
                .mapToLong(HistoryEvent::getEventId).findFirst().orElseThrow();
        return Command.newBuilder().setCommandType(CommandType.COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK)
                .setRequestCancelActivityTaskCommandAttributes(RequestCancelActivityTaskCommandAttributes.newBuilder()
                        .setScheduledEventId(scheduled))
                .build();
    }

    private static List<EventType> types(PollWorkflowTaskQueueResponse task) {
        return task.getHistory().getEventsList().stream().map(HistoryEvent::getEventType).toList();
    }

    private static TaskQueue queue(String name) {
        return TaskQueue.newBuilder().setName(name).build();
    }
}
