package ai.instructflow.api.runs;

import ai.instructflow.activities.TrainerSettings;
import ai.instructflow.activities.metrics.SharedMetrics;
import ai.instructflow.activities.metrics.StageMetric;
import ai.instructflow.activities.models.ModelStore;
import ai.instructflow.activities.registry.Parallel;
import ai.instructflow.activities.registry.RunRecord;
import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.activities.registry.StageManifest;
import ai.instructflow.activities.stages.Artifacts;
import ai.instructflow.activities.stages.MetricsHistory;
import ai.instructflow.activities.stages.PipelineStages;
import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.api.error.ValidationException;
import ai.instructflow.api.labeling.LabelingService;
import ai.instructflow.api.labeling.QueueView;
import ai.instructflow.api.platform.Platform;
import ai.instructflow.workflows.Artifact;
import ai.instructflow.workflows.FieldError;
import ai.instructflow.workflows.PipelineWorkflow;
import ai.instructflow.workflows.RunSpec;
import ai.instructflow.workflows.RunSpecValidator;
import ai.instructflow.workflows.RunSpecs;
import ai.instructflow.workflows.RunStatus;
import ai.instructflow.workflows.Stage;
import ai.instructflow.workflows.StageProgress;
import ai.instructflow.workflows.TaskQueues;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the API does with runs: submit, list, show, cancel, resume, artifacts, metrics, report. The registry
 * in object storage is the record; Temporal is asked only for what is live.
 */
@ApplicationScoped
public class RunService {

    private static final Set<String> RESUMABLE = Set.of(RunStatus.FAILED, RunStatus.CANCELLED, RunStatus.INTERRUPTED);

    @Inject
    Platform platform;

    @Inject
    LabelingService labeling;

    @Inject
    MeterRegistry meters;

    /** Starts a run of the submitted spec laid over the defaults ({@link RunSpecs#resolve}). */
    public RunView submit(JsonNode submitted) throws JsonProcessingException {
        RunSpec resolved = RunSpecs.resolve(submitted);
        List<FieldError> errors = new ArrayList<>(RunSpecValidator.validate(resolved));
        if (errors.isEmpty()) {
            requireObject(errors, "base_checkpoint", resolved.baseCheckpoint());
            requireObject(errors, "base_model", resolved.baseModel() == null ? null
                    : resolved.baseModel() + "/" + ModelStore.MANIFEST);
            if (errors.isEmpty() && resolved.baseModel() != null) {
                try {
                    // the separator must be one token of the model's own tokenizer: found out now, not in SFT
                    TrainerSettings.format(resolved, runs().objects());
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldError("prompt_format", e.getMessage()));
                }
            }
            requireObject(errors, "demonstrations.dataset", resolved.demonstrations().dataset());
            requireObject(errors, "comparisons.dataset", resolved.comparisons().dataset());
            requireObject(errors, "prompts.dataset", resolved.teamPrompts() ? resolved.prompts().dataset() : null);
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        String id = RunStore.newRunId();
        String now = RunStore.now();
        runs().create(new RunRecord(id, resolved.name(), RunStatus.RUNNING, now, now, null, null, null, 1), resolved);
        start(id, resolved);
        // just started: no stage has begun, and asking the workflow (a query) would wait for a worker to take
        // its first task, which under load is most of a submission's time
        return view(id, false);
    }

    /**
     * A page of runs, newest first ({@link RunStore#page}): the index's keys and this page's records, with
     * Temporal asked about the page's running runs (for {@code status=running} or {@code interrupted},
     * about every running run).
     */
    public RunPage list(RunQuery query) {
        RunStore.Page found = runs().page(query.status(), query.page(), query.size(), this::lost);
        return new RunPage(found.runs(), query.page(), query.size(), found.total());
    }

    /** How many runs have each status (a running run Temporal has lost counted as interrupted): what the gauges show. */
    public RunStore.Census census() {
        return runs().census(this::lost);
    }

    public RunView view(String id) {
        return view(id, true);
    }

    /** {@code asked}: whether Temporal is asked for a running run's live progress. */
    private RunView view(String id, boolean asked) {
        RunRecord record = record(id);
        Map<String, StageProgress> live = null;
        String status = record.status();
        if (asked && RunStatus.RUNNING.equals(status)) {
            live = LiveProgress.of(platform.client(), id).orElse(null);
            if (live == null) {
                status = RunStatus.INTERRUPTED;
            }
            // the run may have ended between the two reads; the registry then has the final word
            record = record(id);
            if (!RunStatus.RUNNING.equals(record.status())) {
                status = record.status();
                live = null;
            }
        }
        List<RunView.StageView> stages = new ArrayList<>();
        List<StageManifest> manifests = new ArrayList<>();
        // the latest stage at work: the one whose manifest says running (a collect stage's queue included)
        String current = null;
        RunSpec spec = runs().spec(id).orElse(null);
        for (Stage stage : spec == null ? List.of(Stage.values()) : spec.stages()) {
            StageManifest m = runs().stage(id, stage).orElse(null);
            StageProgress p = live == null ? null : live.get(stage.id());
            if (m != null) {
                manifests.add(m);
            }
            boolean atWork = live != null && m != null && RunStatus.RUNNING.equals(m.status);
            if (atWork) {
                current = stage.id();
            }
            // a stage at work without heartbeated progress is serving its labeling queue
            QueueView queue = atWork && p == null ? labeling.live(id, stage.id()).map(QueueView::of).orElse(null) : null;
            stages.add(stageView(stage, m, queue != null ? collecting(stage, queue) : p, queue));
        }
        return new RunView(record.id(), record.name(), status, current, record.createdAt(),
                record.startedAt(), record.finishedAt(), record.failedStage(), record.error(), record.executions(),
                spec, stages, summary(stages), timing(record, status, manifests));
    }

    public RunView cancel(String id) {
        RunRecord record = withLiveStatus(record(id));
        if (!RunStatus.RUNNING.equals(record.status())) {
            throw conflict("run " + id + " is " + record.status() + "; only a running run can be cancelled");
        }
        // the running stage checkpoints at its next step and the workflow records "cancelled"
        platform.client().newUntypedWorkflowStub(id).cancel();
        return view(id);
    }

    public RunView resume(String id) {
        RunRecord record = withLiveStatus(record(id));
        if (!RESUMABLE.contains(record.status())) {
            throw conflict("run " + id + " is " + record.status() + "; only failed, cancelled or interrupted runs resume");
        }
        RunSpec spec = runs().spec(id).orElseThrow(() -> new NotFoundException("run " + id + " has no spec"));
        Execution last = latestExecution(record, record.status(), manifests(id));
        runs().save(record.started(RunStatus.RUNNING, RunStore.now(), last.wallSeconds(), last.activitySeconds()));
        start(id, spec);
        Counter.builder("instructflow_run_resumes").description("Runs resumed through this API process")
                .register(meters).increment();
        return view(id);
    }

    public List<ArtifactLink> artifacts(String id) {
        record(id);
        List<ArtifactLink> out = new ArrayList<>();
        for (Stage stage : Stage.values()) {
            runs().stage(id, stage).ifPresent(m -> {
                for (Artifact a : m.artifacts) {
                    out.add(new ArtifactLink(stage.id(), a.name(), a.key(), a.sha256(), a.size(), a.count(),
                            runs().objects().presignedGet(a.key(), Duration.ofHours(1))));
                }
            });
        }
        return out;
    }

    /**
     * Each stage's per-step metrics as the stage stored them beside its model, in run order: the run's
     * history without a metrics server. A stage with no history (not started, or one that trains nothing)
     * is left out; a running stage's is as of its latest checkpoint. A value that is not finite (the
     * gradient norm of a skipped step) is left out of its row, since JSON has no number for it.
     */
    public Map<String, List<Map<String, Double>>> metrics(String id, String stage) {
        record(id);
        List<Stage> stages = stage == null ? List.of(Stage.values()) : List.of(Stage.of(stage).orElseThrow(() ->
                new ValidationException(List.of(new FieldError("stage", "must be one of: "
                        + String.join(", ", Arrays.stream(Stage.values()).map(Stage::id).toList()) + "; got '" + stage + "'")))));
        Map<String, List<Map<String, Double>>> out = new LinkedHashMap<>();
        for (Stage s : stages) {
            try {
                List<Map<String, Double>> rows = runs().objects().read(MetricsHistory.key(id, s), MetricsHistory::read);
                rows.forEach(row -> row.values().removeIf(v -> !Double.isFinite(v)));
                out.put(s.id(), rows);
            } catch (ObjectStore.NotFound e) {
                // no history for this stage
            }
        }
        return out;
    }

    /** The evaluation's report with the run's id and each stage's status: what {@code demo --json} prints. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> report(String id) {
        RunView run = view(id);
        // the run's own stages, which depend on its method: found by name
        RunView.StageView evaluation = run.stages().stream().filter(s -> s.stage().equals(Stage.EVALUATE.id()))
                .findFirst().orElseThrow();
        if (!RunStatus.SUCCEEDED.equals(evaluation.status())) {
            throw new NotFoundException("run " + id + " has no report yet (it is " + run.status() + ")");
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("run_id", id);
        report.put("status", run.status());
        Map<String, String> stages = new LinkedHashMap<>();
        run.stages().forEach(s -> stages.put(s.stage(), s.status()));
        report.put("stages", stages);
        Artifact saved = evaluation.artifacts().stream().filter(a -> a.name().equals("report")).findFirst().orElseThrow();
        // read against the sha256 its stage recorded: a report changed in the bucket is refused, not served
        report.putAll(new Artifacts(runs().objects()).load(saved, in -> RunStore.JSON.readValue(in, Map.class)));
        if (run.timing() != null) {
            report.put("orchestration_overhead", run.timing().orchestrationOverhead());
        }
        return report;
    }

    public RunStore runs() {
        return platform.runs();
    }

    /** The model {@code stage} of the run produced; 409 while it has produced none. */
    Artifact model(String runId, Stage stage) {
        return runs().stage(runId, stage).filter(s -> RunStatus.SUCCEEDED.equals(s.status))
                .flatMap(m -> m.artifacts.stream().filter(a -> a.name().equals("model")).findFirst())
                .orElseThrow(() -> new ClientErrorException("stage " + stage.id() + " of run " + runId
                        + " has not produced a model yet", Response.Status.CONFLICT));
    }

    RunRecord record(String id) {
        return runs().run(id).orElseThrow(() -> new NotFoundException("no run '" + id + "'"));
    }

    private void start(String id, RunSpec spec) {
        WorkflowOptions options = WorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(TaskQueues.CPU)
                // a resume starts a new execution under the same id once the last one has closed
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                .build();
        WorkflowClient.start(platform.client().newWorkflowStub(PipelineWorkflow.class, options)::run, spec);
    }

    /** A run the registry calls running but Temporal does not know was lost by a restarted (embedded) service. */
    private RunRecord withLiveStatus(RunRecord r) {
        return RunStatus.RUNNING.equals(r.status()) && lost(r.id()) ? r.interrupted() : r;
    }

    /** Those of these runs Temporal has no record of, asked side by side. */
    private Set<String> lost(List<String> ids) {
        List<Boolean> lost = Parallel.map(ids, this::lost);
        Set<String> out = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            if (lost.get(i)) {
                out.add(ids.get(i));
            }
        }
        return out;
    }

    private boolean lost(String id) {
        try {
            platform.client().newUntypedWorkflowStub(id).describe();
            return false;
        } catch (WorkflowNotFoundException e) {
            return true;
        }
    }

    private void requireObject(List<FieldError> errors, String field, String key) {
        if (key != null && !runs().objects().exists(key)) {
            errors.add(new FieldError(field, "no object '" + key + "' in bucket " + runs().objects().bucket()));
        }
    }

    /** A collect stage's progress is its queue's: tasks with all their labels, of the quota. */
    private static StageProgress collecting(Stage stage, QueueView q) {
        return new StageProgress(stage.id(), RunStatus.RUNNING, q.completed(), q.quota(), Map.of(
                SharedMetrics.LABELS.key(), (double) q.labels(), SharedMetrics.LABELS_PER_MINUTE.key(), q.labelsPerMinute(),
                SharedMetrics.AVAILABLE.key(), (double) q.available()), 0, 0);
    }

    private static RunView.StageView stageView(Stage stage, StageManifest m, StageProgress p, QueueView queue) {
        String status = m != null ? m.status : RunStatus.PENDING;
        boolean livelier = p != null && RunStatus.RUNNING.equals(status);
        List<RunView.Attempt> attempts = m == null ? List.of() : m.attempts.stream()
                .map(a -> new RunView.Attempt(a.number, a.worker, a.status, a.startedAt, a.finishedAt, a.seconds,
                        a.resumedFromStep, a.corruptCheckpoints, a.error)).toList();
        return new RunView.StageView(stage.id(), status, livelier ? p.step() : 0, livelier ? p.total() : 0,
                livelier ? p.metrics() : (m == null ? Map.of() : m.metrics), attempts,
                m == null ? null : m.reusedFrom, m == null ? null : m.checkpointStep, m == null ? List.of() : m.artifacts,
                queue, m == null ? null : m.shards, m == null ? null : m.earlyStop);
    }

    /** The numbers a person looks at first, under the summary names their stages give them, once those stages succeeded. */
    private static Map<String, Double> summary(List<RunView.StageView> stages) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (RunView.StageView s : stages) {
            if (!RunStatus.SUCCEEDED.equals(s.status())) {
                continue;
            }
            Stage stage = Stage.of(s.stage()).orElseThrow();
            for (StageMetric metric : PipelineStages.of(stage).metrics()) {
                Double value = s.metrics().get(metric.key());
                if (metric.summary() != null && value != null) {
                    out.put(metric.summary(), value);
                }
            }
        }
        return out;
    }

    private List<StageManifest> manifests(String id) {
        return Arrays.stream(Stage.values()).flatMap(stage -> runs().stage(id, stage).stream()).toList();
    }

    /** The whole run's timing: the executions before the latest, as its record carries them, and the latest. */
    private static RunView.Timing timing(RunRecord r, String status, List<StageManifest> manifests) {
        if (r.startedAt() == null) {
            return null;
        }
        Execution latest = latestExecution(r, status, manifests);
        double wall = r.earlierWallSeconds() + latest.wallSeconds();
        double activity = r.earlierActivitySeconds() + latest.activitySeconds();
        Double overhead = r.finishedAt() != null && wall > 0 ? Math.max(0, wall - activity) / wall : null;
        return new RunView.Timing(wall, activity, overhead);
    }

    private record Execution(double wallSeconds, double activitySeconds) {}

    /**
     * The latest execution's wall time and time in its stages. A running one counts until now; one
     * that ended without a finish time (an interrupted run, its Temporal service gone) until the last
     * moment a stage recorded, since nothing of it ran after that.
     */
    private static Execution latestExecution(RunRecord r, String status, List<StageManifest> manifests) {
        String since = r.startedAt();
        Instant start = Instant.parse(since);
        Instant end;
        if (r.finishedAt() != null) {
            end = Instant.parse(r.finishedAt());
        } else if (RunStatus.RUNNING.equals(status)) {
            end = Instant.now();
        } else {
            end = manifests.stream().flatMap(m -> m.attempts.stream())
                    .map(a -> a.finishedAt != null ? a.finishedAt : a.startedAt)
                    .filter(at -> at != null && at.compareTo(since) >= 0)
                    .map(Instant::parse).max(Instant::compareTo).orElse(start);
        }
        double activity = manifests.stream().mapToDouble(m -> m.secondsSince(since)).sum();
        return new Execution(Duration.between(start, end).toMillis() / 1e3, activity);
    }

    private static ClientErrorException conflict(String message) {
        return new ClientErrorException(message, Response.Status.CONFLICT);
    }
}
