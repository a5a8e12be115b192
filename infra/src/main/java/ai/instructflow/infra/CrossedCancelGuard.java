package ai.instructflow.infra;

import io.grpc.Channel;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.CommandType;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskFailedRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Keeps the in-memory service from losing a run whose cancel crosses an activity's completion
 * (temporalio/sdk-java#2391). When an activity completes while the workflow task that handles the
 * run's cancel is in flight, the workflow still asks to cancel that activity; a Temporal cluster
 * fails such a task as unhandled and hands the workflow a new one with the completion in it, but the
 * in-memory service refuses the command with {@code ACTIVITY_UNKNOWN} after it has already closed
 * the task, and no workflow task is ever scheduled again: the run never ends.
 *
 * <p>This guard does what the cluster does. Activity completions and workflow task completions that
 * cancel activities pass one at a time, and a completion that cancels an activity no longer pending
 * is failed as unhandled instead, so the service schedules the next task itself. Only the embedded
 * service needs it; a cluster is left as it is.
 */
final class CrossedCancelGuard implements ServerInterceptor {

    private static final String COMPLETE_WORKFLOW_TASK =
            WorkflowServiceGrpc.getRespondWorkflowTaskCompletedMethod().getFullMethodName();
    /** Every call by which an activity leaves the service's pending ones. */
    private static final Set<String> END_ACTIVITY = Stream.of(
                    WorkflowServiceGrpc.getRespondActivityTaskCompletedMethod(),
                    WorkflowServiceGrpc.getRespondActivityTaskCompletedByIdMethod(),
                    WorkflowServiceGrpc.getRespondActivityTaskFailedMethod(),
                    WorkflowServiceGrpc.getRespondActivityTaskFailedByIdMethod(),
                    WorkflowServiceGrpc.getRespondActivityTaskCanceledMethod(),
                    WorkflowServiceGrpc.getRespondActivityTaskCanceledByIdMethod())
            .map(MethodDescriptor::getFullMethodName)
            .collect(Collectors.toUnmodifiableSet());

    private final Object oneAtATime = new Object();
    private volatile WorkflowServiceBlockingStub service;

    /** The guarded service itself, for looking up what is pending; set once its channel exists. */
    void connect(Channel channel) {
        service = WorkflowServiceGrpc.newBlockingStub(channel);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        ServerCall.Listener<Q> served = next.startCall(call, headers);
        if (method.equals(COMPLETE_WORKFLOW_TASK)) {
            return new WorkflowTaskCompletion<>(served, call);
        }
        if (END_ACTIVITY.contains(method)) {
            return new SimpleForwardingServerCallListener<>(served) {
                @Override
                public void onHalfClose() {
                    // a unary call is served here, on this thread, so the lock spans the whole of it
                    synchronized (oneAtATime) {
                        super.onHalfClose();
                    }
                }
            };
        }
        return served;
    }

    private final class WorkflowTaskCompletion<Q, R> extends SimpleForwardingServerCallListener<Q> {

        private final ServerCall<Q, R> call;
        private RespondWorkflowTaskCompletedRequest request;

        WorkflowTaskCompletion(ServerCall.Listener<Q> served, ServerCall<Q, R> call) {
            super(served);
            this.call = call;
        }

        @Override
        public void onMessage(Q message) {
            request = (RespondWorkflowTaskCompletedRequest) message;
            super.onMessage(message);
        }

        @Override
        public void onHalfClose() {
            Set<Long> cancelled = request == null ? Set.of() : request.getCommandsList().stream()
                    .filter(c -> c.getCommandType() == CommandType.COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK)
                    .map(c -> c.getRequestCancelActivityTaskCommandAttributes().getScheduledEventId())
                    .collect(Collectors.toSet());
            if (cancelled.isEmpty()) {
                super.onHalfClose();
                return;
            }
            synchronized (oneAtATime) {
                if (crossed(cancelled)) {
                    refuseAsUnhandled();
                    return;
                }
                super.onHalfClose();
            }
        }

        private boolean crossed(Set<Long> cancelled) {
            try {
                return !allPending(execution(request), cancelled);
            } catch (StatusRuntimeException unknown) {
                // a task this guard cannot place (an expired one, a run gone): the service answers it as it would
                return false;
            }
        }

        private void refuseAsUnhandled() {
            try {
                service.respondWorkflowTaskFailed(RespondWorkflowTaskFailedRequest.newBuilder()
                        .setNamespace(request.getNamespace())
                        .setTaskToken(request.getTaskToken())
                        .setIdentity(request.getIdentity())
                        .setCause(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND)
                        .build());
                // the words a cluster answers with, which the worker knows to handle with the next task
                call.close(Status.INVALID_ARGUMENT.withDescription("UnhandledCommand"), new Metadata());
            } catch (StatusRuntimeException refused) {
                call.close(refused.getStatus(), new Metadata());
            }
        }

        /** Whether every activity scheduled at one of {@code scheduledEventIds} is still pending. */
        private boolean allPending(WorkflowExecution execution, Set<Long> scheduledEventIds) {
            Set<String> pending = service.describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace(request.getNamespace()).setExecution(execution).build())
                    .getPendingActivitiesList().stream()
                    .map(PendingActivityInfo::getActivityId)
                    .collect(Collectors.toSet());
            Set<String> cancelled = new HashSet<>();
            GetWorkflowExecutionHistoryRequest.Builder page = GetWorkflowExecutionHistoryRequest.newBuilder()
                    .setNamespace(request.getNamespace()).setExecution(execution);
            do {
                GetWorkflowExecutionHistoryResponse history = service.getWorkflowExecutionHistory(page.build());
                for (HistoryEvent event : history.getHistory().getEventsList()) {
                    if (event.hasActivityTaskScheduledEventAttributes() && scheduledEventIds.contains(event.getEventId())) {
                        cancelled.add(event.getActivityTaskScheduledEventAttributes().getActivityId());
                    }
                }
                page.setNextPageToken(history.getNextPageToken());
            } while (!page.getNextPageToken().isEmpty());
            return pending.containsAll(cancelled);
        }
    }

    /**
     * The run a workflow task belongs to, read from its token as the in-memory service of the
     * version this project pins writes it: namespace, workflow id and run id, each as modified UTF-8.
     */
    private static WorkflowExecution execution(RespondWorkflowTaskCompletedRequest request) {
        try (DataInputStream token = new DataInputStream(new ByteArrayInputStream(request.getTaskToken().toByteArray()))) {
            token.readUTF();
            return WorkflowExecution.newBuilder().setWorkflowId(token.readUTF()).setRunId(token.readUTF()).build();
        } catch (IOException e) {
            throw Status.INVALID_ARGUMENT.withDescription("not a workflow task token of the embedded service")
                    .withCause(e).asRuntimeException();
        }
    }
}
