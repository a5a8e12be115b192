package ai.instructflow.activities.labeling;

import ai.instructflow.activities.worker.DaemonThreads;
import ai.instructflow.workflows.FieldError;
import ai.instructflow.workflows.labeling.LabelBatch;
import ai.instructflow.workflows.labeling.LabelingQueueWorkflow;
import ai.instructflow.workflows.labeling.LabelingQueues;
import ai.instructflow.workflows.labeling.LeaseGrant;
import ai.instructflow.workflows.labeling.LeaseRequest;
import ai.instructflow.workflows.labeling.QueueSpec;
import ai.instructflow.workflows.labeling.QueueState;
import ai.instructflow.workflows.labeling.SubmitAck;
import ai.instructflow.workflows.labeling.TaskRange;
import io.grpc.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.client.WorkflowUpdateTimeoutOrCancelledException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
    private static final int CACHED_SPECS = 64;
    /** How long one try of an update waits for its answer (a busy queue answers well within it). */
    private static final Duration TRY_FOR = Duration.ofSeconds(2);
    /** How long an update is tried in all, as the SDK itself would wait for one. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("labeling-update-deadlines"));

    /** A lease with its tasks' content, and the queue it came from. */
    public record Leased(LeaseGrant grant, List<LabelingTask> tasks, QueueState queue) {}

    /** The queue's current execution stores labels in another folder than the caller's spec names. */
    private static final class OtherFolder extends RuntimeException {
        OtherFolder(String message) {
            super(message, null, false, false);
        }
    }

    private final WorkflowClient client;
    private final LabelStore store;
    private final MeterRegistry metrics;
    /** The recent queues' specs, by queue id: every submission needs its queue's folder and kind. */
    private final Map<String, QueueSpec> specs = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, QueueSpec> eldest) {
            return size() > CACHED_SPECS;
        }
    });

    public LabelingClient(WorkflowClient client, LabelStore store, MeterRegistry metrics) {
        this.client = client;
        this.store = store;
        this.metrics = metrics;
    }

    public QueueState state(String runId, String stage) {
        try {
            QueueState state = queue(runId, stage).state();
            remember(runId, stage, state.spec());
            return state;
        } catch (WorkflowNotFoundException e) {
            throw noQueue(runId, stage);
        } catch (WorkflowException e) {
            throw rootIsNotFound(e) ? noQueue(runId, stage) : e;
        }
    }

    /** Up to {@code max} tasks for {@code labeler}, of {@code group} (null: none) as their token says. */
    public Leased lease(String runId, String stage, String labeler, String group, int max) {
        return lease(runId, stage, labeler, group, max, null);
    }

    /** Up to {@code max} tasks for {@code labeler}, only from {@code range} (null: the first open ones). */
    public Leased lease(String runId, String stage, String labeler, String group, int max, TaskRange range) {
        LeaseGrant grant = call(runId, stage, update(runId, stage, "lease", UUID.randomUUID().toString(), LeaseGrant.class,
                new LeaseRequest(labeler, group, max, range)));
        if (grant.refused() != null) {
            throw refusal(grant.refused(), grant.reason());
        }
        // the update answers with the queue as it is after it; a queue started by older code does not
        QueueState state = grant.queue() != null ? grant.queue() : state(runId, stage);
        remember(runId, stage, state.spec());
        List<LabelingTask> all = store.tasks(state.spec().prefix());
        return new Leased(grant, grant.tasks().stream().map(all::get).toList(), state);
    }

    /**
     * Stores and submits one labeler's labels; the same submission id again is acknowledged as a
     * duplicate. The answer carries the queue just after it, as the labeler sees it.
     */
    public SubmitAck submit(String runId, String stage, String labeler, String submissionId, List<Label> labels) {
        for (int tries = 1; ; tries++) {
            // the queue's folder and kind are its spec's, which stays as it is while the queue runs: asked once
            QueueSpec spec = spec(runId, stage);
            try {
                return submit(runId, stage, spec, labeler, submissionId, labels);
            } catch (OtherFolder e) {
                // a resume reopened the queue in another folder: ask again (what was stored is deleted)
                specs.remove(LabelingQueues.id(runId, stage));
                if (tries == CONTINUE_AS_NEW_TRIES) {
                    throw new LabelingException(LabelingException.Reason.INVALID, e.getMessage());
                }
            }
        }
    }

    private SubmitAck submit(String runId, String stage, QueueSpec spec, String labeler, String submissionId,
                             List<Label> labels) {
        List<FieldError> errors = validate(spec, store.tasks(spec.prefix()), submissionId, labels);
        if (!errors.isEmpty()) {
            throw new LabelingException(LabelingException.Reason.INVALID, "invalid submission: " + errors.stream()
                    .map(e -> e.field() + " " + e.reason()).collect(java.util.stream.Collectors.joining("; ")), errors);
        }
        LabelStore.StoredLabels stored = store.putLabels(spec.prefix(), labeler, submissionId, labels);
        LabelBatch batch = stored.batch();
        // one update id for every try: if a try counted the labels but its answer was lost (the queue
        // continued as new meanwhile), the next try hears which update counted them, and it was this one
        String updateId = UUID.randomUUID().toString();
        SubmitAck ack;
        try {
            ack = call(runId, stage, update(runId, stage, "submit", updateId, SubmitAck.class, batch));
            if (ack.duplicate() && updateId.equals(ack.countedBy())) {
                ack = ack.asAccepted();
            }
        } catch (LabelingException | OtherFolder e) {
            // no running queue took them: the queue had ended (or a validator refused them), or it runs in
            // another folder now; what was stored goes, unless this was a retry of a submission it counted
            store.deleteUnlessRecorded(stored, spec.prefix());
            throw e;
        }
        if (ack.refused() != null) {
            // a refusal is never counted, so nothing refers to what was stored for it; a duplicate's
            // file is the counted one (or, sent with other content, its own), so it stays
            store.deleteRefused(stored);
            throw refusal(ack.refused(), ack.reason());
        }
        if (ack.accepted()) {
            Counter.builder("instructflow_labels").description("Labels a labeling queue counted, submitted through this process")
                    .tags("run", runId, "stage", stage).register(metrics).increment(batch.tasks().size());
        }
        return ack.queue() != null ? ack : ack.with(state(runId, stage));
    }

    public QueueState close(String runId, String stage) {
        return call(runId, stage, update(runId, stage, "close", UUID.randomUUID().toString(), QueueState.class));
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

    /** The queue's spec as last seen: its folder, kind and tasks do not change while it runs. */
    private QueueSpec spec(String runId, String stage) {
        QueueSpec known = specs.get(LabelingQueues.id(runId, stage));
        return known != null ? known : state(runId, stage).spec();
    }

    private void remember(String runId, String stage, QueueSpec spec) {
        specs.put(LabelingQueues.id(runId, stage), spec);
    }

    /**
     * One update of the queue, sent again under the same id when a try hears nothing for
     * {@link #TRY_FOR}: the in-memory Temporal service can lose an update admitted to an execution that
     * continues as new in the same moment (its answer would come only at the service's 10 s poll
     * deadline, and then as "not found"). Sent again, it reaches the next execution, which carries in
     * its ledger whether that update id already counted; an update still in progress is found by its
     * id and simply waited on. Past {@link #PATIENCE}, or once the caller is interrupted or cancelled,
     * the last timeout goes to the caller.
     */
    private <T> Supplier<T> update(String runId, String stage, String name, String updateId, Class<T> type, Object... args) {
        UpdateOptions<T> options = UpdateOptions.newBuilder(type).setUpdateName(name).setUpdateId(updateId)
                .setWaitForStage(WorkflowUpdateStage.COMPLETED).build();
        return () -> {
            long giveUpAt = System.nanoTime() + PATIENCE.toNanos();
            Context caller = Context.current();
            while (true) {
                Context.CancellableContext attempt = caller.withDeadlineAfter(TRY_FOR.toMillis(), TimeUnit.MILLISECONDS,
                        DEADLINES);
                Context outer = attempt.attach();
                try {
                    return client.newUntypedWorkflowStub(LabelingQueues.id(runId, stage)).startUpdate(options, args).getResult();
                } catch (WorkflowUpdateTimeoutOrCancelledException e) {
                    // a try of a caller that has given up fails at once: trying again would only spin
                    if (caller.isCancelled() || Thread.currentThread().isInterrupted() || System.nanoTime() - giveUpAt > 0) {
                        throw e;
                    }
                } finally {
                    attempt.detach(outer);
                    attempt.cancel(null);
                }
            }
        };
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
                // the validator refused a malformed request, or labels stored for another folder of the queue
                ApplicationFailure failure = e.getCause() instanceof ApplicationFailure f ? f : null;
                if (failure != null && LabelingQueues.OTHER_FOLDER.equals(failure.getType())) {
                    throw new OtherFolder(failure.getOriginalMessage());
                }
                String message = failure != null ? failure.getOriginalMessage() : e.getMessage();
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
