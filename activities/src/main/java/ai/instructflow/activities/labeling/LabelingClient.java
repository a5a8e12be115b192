package ai.instructflow.activities.labeling;

import ai.instructflow.workflows.FieldError;
import ai.instructflow.workflows.labeling.LabelBatch;
import ai.instructflow.workflows.labeling.LabelingQueueWorkflow;
import ai.instructflow.workflows.labeling.LabelingQueues;
import ai.instructflow.workflows.labeling.LeaseGrant;
import ai.instructflow.workflows.labeling.LeaseRequest;
import ai.instructflow.workflows.labeling.QueueSpec;
import ai.instructflow.workflows.labeling.QueueState;
import ai.instructflow.workflows.labeling.SubmitAck;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The one way labels reach a queue, for people (through the API) and the simulated labelers alike:
 * validate, store the labels' text in object storage, then submit the reference through the queue's
 * update, which counts it once. The labels it counts are the labeling throughput metric of the
 * process it runs in (the API for people, a worker for the simulated labelers).
 */
public final class LabelingClient {

    private static final Pattern SUBMISSION_ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    /** Enough for an execution to hand over to the next one. */
    private static final int CONTINUE_AS_NEW_TRIES = 3;

    /** A lease with its tasks' content, and the queue it came from. */
    public record Leased(LeaseGrant grant, List<LabelingTask> tasks, QueueState queue) {}

    private final WorkflowClient client;
    private final LabelStore store;
    private final MeterRegistry metrics;

    public LabelingClient(WorkflowClient client, LabelStore store, MeterRegistry metrics) {
        this.client = client;
        this.store = store;
        this.metrics = metrics;
    }

    public QueueState state(String runId, String stage) {
        try {
            return queue(runId, stage).state();
        } catch (WorkflowNotFoundException e) {
            throw noQueue(runId, stage);
        } catch (WorkflowException e) {
            throw rootIsNotFound(e) ? noQueue(runId, stage) : e;
        }
    }

    /** Up to {@code max} tasks for {@code labeler}, of {@code group} (null: none) as their token says. */
    public Leased lease(String runId, String stage, String labeler, String group, int max) {
        LeaseGrant grant = call(runId, stage, () -> queue(runId, stage).lease(new LeaseRequest(labeler, group, max)));
        if (grant.refused() != null) {
            throw refusal(grant.refused(), grant.reason());
        }
        QueueState state = state(runId, stage);
        List<LabelingTask> all = store.tasks(state.spec().prefix());
        return new Leased(grant, grant.tasks().stream().map(all::get).toList(), state);
    }

    /** Stores and submits one labeler's labels; the same submission id again is acknowledged as a duplicate. */
    public SubmitAck submit(String runId, String stage, String labeler, String submissionId, List<Label> labels) {
        QueueSpec spec = state(runId, stage).spec();
        List<FieldError> errors = validate(spec, store.tasks(spec.prefix()), submissionId, labels);
        if (!errors.isEmpty()) {
            throw new LabelingException(LabelingException.Reason.INVALID, "invalid submission: " + errors.stream()
                    .map(e -> e.field() + " " + e.reason()).collect(java.util.stream.Collectors.joining("; ")), errors);
        }
        LabelStore.StoredLabels stored = store.putLabels(spec.prefix(), labeler, submissionId, labels);
        LabelBatch batch = stored.batch();
        SubmitAck ack;
        try {
            ack = call(runId, stage, () -> queue(runId, stage).submit(batch));
        } catch (LabelingException e) {
            store.deleteRefused(stored);
            throw e;
        }
        if (ack.refused() != null) {
            // a refusal is never counted, so nothing refers to what was stored for it; a duplicate's
            // file may be the counted one (sent twice at once), so it stays
            store.deleteRefused(stored);
            throw refusal(ack.refused(), ack.reason());
        }
        if (ack.accepted()) {
            Counter.builder("instructflow_labels").description("Labels a labeling queue counted, submitted through this process")
                    .tags("run", runId, "stage", stage).register(metrics).increment(batch.tasks().size());
        }
        return ack;
    }

    public QueueState close(String runId, String stage) {
        return call(runId, stage, () -> queue(runId, stage).close());
    }

    /** Every reason a submission is refused before it is stored, each with its field. */
    static List<FieldError> validate(QueueSpec spec, List<LabelingTask> tasks, String submissionId, List<Label> labels) {
        List<FieldError> errors = new ArrayList<>();
        if (submissionId == null || !SUBMISSION_ID.matcher(submissionId).matches()) {
            errors.add(new FieldError("submission_id", "must be 1 to 100 letters, digits, '.', '_' or '-'"));
        }
        if (labels == null || labels.isEmpty()) {
            errors.add(new FieldError("labels", "at least one label is required"));
            return errors;
        }
        TaskKind<?> kind = TaskKinds.of(spec.kind());
        for (Label label : labels) {
            if (label.task() < 0 || label.task() >= tasks.size()) {
                errors.add(new FieldError("task_id", "no task " + label.task() + " in this queue"));
            } else {
                kind.check(spec, tasks.get(label.task()), label, errors);
            }
        }
        return errors;
    }

    private LabelingQueueWorkflow queue(String runId, String stage) {
        return client.newWorkflowStub(LabelingQueueWorkflow.class, LabelingQueues.id(runId, stage));
    }

    /**
     * An update, with the queue's refusals turned into reasons a client can act on. An update that
     * reaches an execution just as it continues as new finds it completed; the queue runs on in the
     * next execution, so the update goes again, a few times at most.
     */
    private <T> T call(String runId, String stage, Supplier<T> update) {
        for (int tries = 1; ; tries++) {
            try {
                return update.get();
            } catch (WorkflowUpdateException e) {
                // the validator refused a malformed request
                String message = e.getCause() instanceof ApplicationFailure failure ? failure.getOriginalMessage() : e.getMessage();
                throw new LabelingException(LabelingException.Reason.INVALID, message);
            } catch (WorkflowException e) {
                if (!(e instanceof WorkflowNotFoundException) && !rootIsNotFound(e)) {
                    throw e;
                }
                if (!running(runId, stage) || tries == CONTINUE_AS_NEW_TRIES) {
                    throw closedOrMissing(runId, stage);
                }
            }
        }
    }

    private boolean running(String runId, String stage) {
        return status(runId, stage).filter(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING::equals).isPresent();
    }

    /** The status of the queue's latest execution; empty when it was never opened. */
    private Optional<WorkflowExecutionStatus> status(String runId, String stage) {
        try {
            return Optional.of(client.newUntypedWorkflowStub(LabelingQueues.id(runId, stage)).describe().getStatus());
        } catch (WorkflowNotFoundException e) {
            return Optional.empty();
        }
    }

    private static LabelingException refusal(String refused, String reason) {
        LabelingException.Reason why = switch (refused) {
            case LabelingQueues.CLOSED -> LabelingException.Reason.CLOSED;
            case LabelingQueues.NOT_ELIGIBLE -> LabelingException.Reason.NOT_ELIGIBLE;
            default -> LabelingException.Reason.NOT_LEASED;
        };
        return new LabelingException(why, reason);
    }

    /** An update to a queue that has completed fails as not found; say which it is. */
    private LabelingException closedOrMissing(String runId, String stage) {
        Optional<WorkflowExecutionStatus> status = status(runId, stage);
        if (status.isPresent() && status.get() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
            return new LabelingException(LabelingException.Reason.CLOSED,
                    "the " + stage + " queue of run " + runId + " is closed");
        }
        return noQueue(runId, stage);
    }

    private static boolean rootIsNotFound(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.grpc.StatusRuntimeException s && s.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
                return true;
            }
        }
        return false;
    }

    private static LabelingException noQueue(String runId, String stage) {
        return new LabelingException(LabelingException.Reason.NO_QUEUE,
                "run " + runId + " has no " + stage + " labeling queue (not started yet, or the stage needs no labels)");
    }
}
