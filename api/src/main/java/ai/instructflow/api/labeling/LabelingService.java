package ai.instructflow.api.labeling;

import ai.instructflow.activities.labeling.Label;
import ai.instructflow.activities.labeling.LabelStore;
import ai.instructflow.activities.labeling.LabelingClient;
import ai.instructflow.activities.labeling.LabelingException;
import ai.instructflow.activities.labeling.VerdictChoice;
import ai.instructflow.activities.registry.RunRecord;
import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.activities.stages.CollectStage;
import ai.instructflow.activities.stages.PipelineStages;
import ai.instructflow.api.error.ValidationException;
import ai.instructflow.api.platform.Platform;
import ai.instructflow.workflows.FieldError;
import ai.instructflow.workflows.RunStatus;
import ai.instructflow.workflows.labeling.QueueState;
import ai.instructflow.workflows.labeling.SubmitAck;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** What the API does for labelers: find open queues, lease a task, submit a label, close a queue. */
@ApplicationScoped
public class LabelingService {

    /** The stages that may have a labeling queue: the collect stages, and the evaluation when people judge. */
    private static final Set<String> COLLECT = PipelineStages.all().stream().filter(s -> s instanceof CollectStage<?>)
            .map(s -> s.stage().id()).collect(Collectors.toCollection(LinkedHashSet::new));

    @Inject
    Platform platform;

    @Inject
    MeterRegistry meters;

    private volatile LabelingClient client;

    /** The open queues as {@code viewer} sees them (null: as operators do). */
    public List<OpenQueue> open(String viewer) {
        return open(platform.runs().runs(RunStatus.RUNNING), viewer);
    }

    /** The open queues of those of these runs that are running. */
    public List<OpenQueue> open(List<RunRecord> runs, String viewer) {
        List<OpenQueue> out = new ArrayList<>();
        for (RunRecord run : runs) {
            if (!RunStatus.RUNNING.equals(run.status())) {
                continue;
            }
            for (String stage : COLLECT) {
                live(run.id(), stage).filter(QueueState::open).ifPresent(s ->
                        out.add(new OpenQueue(run.id(), run.name(), stage, s.spec().kind(), QueueView.of(s, viewer))));
            }
        }
        return out;
    }

    /** The queue's live state, if the run's stage has one. */
    public Optional<QueueState> live(String runId, String stage) {
        try {
            return Optional.of(client().state(runId, stage));
        } catch (LabelingException e) {
            return Optional.empty();
        }
    }

    public QueueView queue(String runId, String stage, String viewer) {
        checkStage(stage);
        return QueueView.of(onQueue(runId, () -> client().state(runId, stage)), viewer);
    }

    public LeaseView lease(String runId, String stage, String labeler, String group) {
        checkStage(stage);
        LabelingClient.Leased leased = onQueue(runId, () -> client().lease(runId, stage, labeler, group, 1));
        QueueView queue = QueueView.of(leased.queue(), labeler);
        if (leased.grant().isEmpty()) {
            return new LeaseView(null, null, leased.grant().reason(), queue);
        }
        var task = leased.tasks().get(0);
        return new LeaseView(new LeaseView.Task(task.id(), task.prompt(), task.responses()),
                Instant.ofEpochMilli(leased.grant().expiresAt()).toString(), null, queue);
    }

    public SubmitView submit(String runId, String stage, String labeler, SubmitRequest request) {
        checkStage(stage);
        if (request == null || request.taskId() == null) {
            throw new ValidationException(List.of(new FieldError("task_id", "is required: the id of the leased task")));
        }
        VerdictChoice choice = request.choice() == null ? null : VerdictChoice.of(request.choice());
        if (request.choice() != null && choice == null) {
            throw new ValidationException(List.of(new FieldError("choice", "must be left, right or tie, got '"
                    + request.choice() + "'")));
        }
        SubmitAck ack = onQueue(runId, () -> client().submit(runId, stage, labeler, request.submissionId(),
                List.of(new Label(request.taskId(), labeler, request.completion(), request.ranks(), choice, request.ratings()))));
        // the submit update answers with the queue just after it, as this labeler sees it
        return new SubmitView(ack.accepted(), ack.duplicate(), QueueView.of(ack.queue(), labeler));
    }

    public QueueView close(String runId, String stage) {
        checkStage(stage);
        return QueueView.of(onQueue(runId, () -> client().close(runId, stage)));
    }

    private static void checkStage(String stage) {
        if (!COLLECT.contains(stage)) {
            throw new ValidationException(List.of(new FieldError("stage", "must be one of " + COLLECT.stream().sorted().toList()
                    + ", got '" + stage + "'")));
        }
    }

    /**
     * A call to the run's queue. Only a queue that is not there sends us to the run registry, to say
     * whether the run itself is missing: the calls people make all day read nothing from storage.
     */
    private <T> T onQueue(String runId, Supplier<T> call) {
        if (!RunStore.isRunId(runId)) {
            throw new NotFoundException("no run '" + runId + "'");
        }
        try {
            return call.get();
        } catch (LabelingException e) {
            if (e.reason() == LabelingException.Reason.NO_QUEUE && platform.runs().run(runId).isEmpty()) {
                throw new NotFoundException("no run '" + runId + "'");
            }
            throw e;
        }
    }

    private LabelingClient client() {
        if (client == null) {
            client = new LabelingClient(platform.client(), new LabelStore(platform.runs().objects()), meters);
        }
        return client;
    }
}
