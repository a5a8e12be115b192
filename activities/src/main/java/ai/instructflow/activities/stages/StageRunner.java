package ai.instructflow.activities.stages;

import ai.instructflow.activities.labeling.GeneratedShards;
import ai.instructflow.activities.labeling.LabelStore;
import ai.instructflow.activities.metrics.RunGauges;
import ai.instructflow.activities.metrics.StageMetrics;
import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.activities.registry.StageManifest;
import ai.instructflow.trainer.ppo.EarlyStop;
import ai.instructflow.trainer.train.DivergenceException;
import ai.instructflow.workflows.Artifact;
import ai.instructflow.workflows.Failures;
import ai.instructflow.workflows.RunStatus;
import ai.instructflow.workflows.Stage;
import ai.instructflow.workflows.StageInput;
import ai.instructflow.workflows.StageResult;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationErrorCategory;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;

/**
 * What every stage activity does around its own work: reuse this run's verified outputs (resume) or
 * another run's (cache), record each attempt in the stage manifest, inject a requested fault, and
 * turn trainer exceptions into retryable or non-retryable Temporal failures; count attempts, retries,
 * failures and durations.
 */
public final class StageRunner {

    /** What a stage made; {@code earlyStop} when its loop ended itself before its last step (PPO's guard). */
    public record Output(List<Artifact> artifacts, Map<String, Double> metrics, EarlyStop earlyStop) {

        public Output(List<Artifact> artifacts, Map<String, Double> metrics) {
            this(artifacts, metrics, null);
        }
    }

    private final Handover handover;
    private final RunStore runs;
    private final String worker;
    private final String device;
    private final StageMetrics metrics;
    private final RunGauges gauges;

    public StageRunner(RunStore runs, String worker, String device,
                       StageMetrics metrics, RunGauges gauges, Handover handover) {
        this.handover = handover;
        this.runs = runs;
        this.worker = worker;
        this.device = device;
        this.metrics = metrics;
        this.gauges = gauges;
    }

    /** What identifies a stage's work: the artifacts it reads and the settings its outputs depend on. */
    private record Identity(List<Artifact> inputs, Map<String, Object> settings, String hash) {

        static Identity of(StageInput in, PipelineStage stage) {
            List<Artifact> inputs = new ArrayList<>();
            in.inputs().values().forEach(r -> inputs.addAll(r.artifacts()));
            Map<String, Object> settings = stage.settings(in.spec());
            return new Identity(inputs, settings, inputsHash(stage.stage(), settings, inputs));
        }
    }

    /**
     * Called before a collect stage opens its labeling queue: null when {@link #run} would reuse
     * existing outputs, else the stage's inputs hash, with the stage recorded as running (collecting).
     */
    public String begin(StageInput in, PipelineStage definition) {
        Stage stage = definition.stage();
        Identity id = Identity.of(in, definition);
        Artifacts artifacts = new Artifacts(runs.objects());
        StageManifest manifest = runs.stage(in.runId(), stage).orElseGet(() -> new StageManifest(stage.id()));
        if (ownOutputs(manifest, id, artifacts) || (in.spec().cache()
                && cached(in.runId(), stage, id, artifacts).isPresent())) {
            return null;
        }
        manifest = running(manifest, stage, id);
        manifest.labelingStartedAt = RunStore.now();
        manifest.labelingSeconds = null;
        runs.save(in.runId(), manifest);
        return id.hash();
    }

    /**
     * {@link #begin}'s answer for a stage that begin already recorded as collecting under these inputs
     * (a queue opened after its tasks' shards were generated), leaving its labeling clock running from
     * then; where none did, begin's.
     */
    public String collecting(StageInput in, PipelineStage definition) {
        Identity id = Identity.of(in, definition);
        StageManifest recorded = runs.stage(in.runId(), definition.stage()).orElse(null);
        if (recorded != null && RunStatus.RUNNING.equals(recorded.status) && id.hash().equals(recorded.inputsHash)
                && recorded.labelingStartedAt != null && recorded.labelingSeconds == null) {
            return id.hash();
        }
        return begin(in, definition);
    }

    /** Records, on a collect stage's manifest, the shards its queue's tasks were generated in. */
    public void recordShards(StageInput in, PipelineStage definition, List<StageManifest.Shard> shards) {
        StageManifest manifest = runs.stage(in.runId(), definition.stage()).orElseThrow();
        manifest.shards = List.copyOf(shards);
        runs.save(in.runId(), manifest);
    }

    /** This worker's identity, as its attempts name it. */
    public String worker() {
        return worker;
    }

    /** The hash of a stage's inputs and settings, which names its labeling folder; nothing is recorded. */
    public String inputsHash(StageInput in, PipelineStage definition) {
        return Identity.of(in, definition).hash();
    }

    public StageResult run(StageInput in, PipelineStage definition) {
        Stage stage = definition.stage();
        String runId = in.runId();
        Artifacts artifacts = new Artifacts(runs.objects());
        Identity id = Identity.of(in, definition);
        StageManifest recorded = runs.stage(runId, stage).orElseGet(() -> new StageManifest(stage.id()));

        if (ownOutputs(recorded, id, artifacts)) {
            return new StageResult(stage.id(), recorded.artifacts, recorded.metrics, runId);
        }
        if (in.spec().cache()) {
            Optional<StageResult> hit = cached(runId, stage, id, artifacts).map(theirs -> copy(runId, stage, id, theirs));
            if (hit.isPresent()) {
                return hit.get();
            }
        }
        StageManifest manifest = running(recorded, stage, id);
        if (manifest.labelingStartedAt != null && manifest.labelingSeconds == null) {
            manifest.labelingSeconds = Duration.between(Instant.parse(manifest.labelingStartedAt), Instant.now()).toMillis() / 1e3;
        }
        for (StageManifest.Attempt earlier : manifest.attempts) {
            if (RunStatus.RUNNING.equals(earlier.status)) {
                // its worker stopped heartbeating (killed, or cut off) before it could record an end
                earlier.status = "lost";
            }
        }
        ActivityExecutionContext context = Activity.getExecutionContext();
        StageManifest.Attempt attempt = new StageManifest.Attempt();
        attempt.number = context.getInfo().getAttempt();
        attempt.worker = worker;
        attempt.startedAt = RunStore.now();
        attempt.status = RunStatus.RUNNING;
        manifest.attempts.add(attempt);
        runs.save(runId, manifest);
        metrics.started(stage.id(), attempt.number);
        long began = System.nanoTime();

        try (StageAttempt running = new StageAttempt(context, runs, runId, definition, manifest, gauges, handover)) {
            if (in.spec().injectsFault(stage) && !manifest.faultInjected) {
                manifest.faultInjected = true;
                throw ApplicationFailure.newNonRetryableFailure("fault injected into stage " + stage.id()
                        + " (the run spec's faults); resume the run to continue", Failures.INJECTED);
            }
            Output out;
            try {
                StageWork work = new StageWork(running, in, stage, runs, device, worker, id.hash());
                out = running.training(() -> definition.run(work));
            } catch (CancellationException e) {
                if (running.handingOver()) {
                    end(manifest, attempt, RunStatus.HANDED_OVER, null, began);
                    runs.save(runId, manifest);
                    // retryable: Temporal gives the stage to another worker, which resumes from the checkpoint
                    throw new HandedOver("this worker is shutting down; the stage checkpointed at step "
                            + manifest.checkpointStep + " and continues on another worker");
                }
                running.throwIfCancelled();  // as Temporal's own exception, so the cancel is reported as one
                throw e;
            }
            manifest.artifacts = out.artifacts();
            manifest.metrics = out.metrics();
            manifest.earlyStop = out.earlyStop();
            running.recordResults(out.metrics());
            manifest.status = RunStatus.SUCCEEDED;
            end(manifest, attempt, RunStatus.SUCCEEDED, null, began);
            runs.save(runId, manifest);
            runs.cache(stage, id.hash(), runId);
            if (definition instanceof CollectStage<?>) {
                // what the stage was made from is in its outputs now (and in its queue's tasks)
                new LabelStore(runs.objects()).deleteShards(GeneratedShards.prefix(runId, stage, id.hash()));
            }
            return new StageResult(stage.id(), out.artifacts(), out.metrics(), null);
        } catch (HandedOver e) {
            // benign: a hand-over is how a worker leaves, so the SDK logs it without a warning and a stack trace
            throw ApplicationFailure.newBuilder().setMessage(e.getMessage()).setType(Failures.HANDED_OVER)
                    .setCategory(ApplicationErrorCategory.BENIGN).build();
        } catch (CancellationException | ActivityCompletionException e) {
            end(manifest, attempt, RunStatus.CANCELLED, null, began);
            manifest.status = RunStatus.CANCELLED;
            runs.save(runId, manifest);
            throw e;
        } catch (DivergenceException e) {
            throw fail(runId, manifest, attempt, began, ApplicationFailure.newNonRetryableFailure(e.getMessage(), Failures.DIVERGED));
        } catch (IllegalArgumentException e) {
            throw fail(runId, manifest, attempt, began, ApplicationFailure.newNonRetryableFailure(e.getMessage(), Failures.INVALID_INPUT));
        } catch (RuntimeException e) {
            throw fail(runId, manifest, attempt, began, e);
        }
    }

    private RuntimeException fail(String runId, StageManifest manifest, StageManifest.Attempt attempt, long began,
                                  RuntimeException e) {
        end(manifest, attempt, RunStatus.FAILED, e.getMessage(), began);
        metrics.failed(manifest.stage, e instanceof ApplicationFailure failure ? failure.getType() : e.getClass().getSimpleName());
        manifest.status = RunStatus.FAILED;
        runs.save(runId, manifest);
        return e;
    }

    private void end(StageManifest manifest, StageManifest.Attempt attempt, String status, String error, long began) {
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        attempt.status = status;
        attempt.error = error;
        attempt.finishedAt = RunStore.now();
        attempt.seconds = took.toNanos() / 1e9;
        metrics.ended(manifest.stage, status, took);
    }

    /**
     * The manifest an attempt (or a collect stage's queue) works under: the recorded one, or a fresh
     * one keeping the attempts when the inputs or settings changed, marked running.
     */
    private static StageManifest running(StageManifest recorded, Stage stage, Identity id) {
        StageManifest manifest = recorded;
        if (!id.hash().equals(recorded.inputsHash)) {
            // new inputs or settings: an old checkpoint or output of this stage no longer applies
            manifest = new StageManifest(stage.id());
            manifest.attempts = recorded.attempts;
        }
        manifest.inputsHash = id.hash();
        manifest.settings = id.settings();
        manifest.inputs = id.inputs();
        manifest.status = RunStatus.RUNNING;
        manifest.reusedFrom = null;
        return manifest;
    }

    private static boolean ownOutputs(StageManifest manifest, Identity id, Artifacts artifacts) {
        return RunStatus.SUCCEEDED.equals(manifest.status) && id.hash().equals(manifest.inputsHash)
                && artifacts.verify(manifest.artifacts);
    }

    /** Another run's verified outputs of a stage. */
    private record Cached(String run, StageManifest manifest) {}

    /** Another run's verified outputs for the same inputs and settings. */
    private Optional<Cached> cached(String runId, Stage stage, Identity id, Artifacts artifacts) {
        return runs.cached(stage, id.hash()).filter(other -> !other.equals(runId))
                .flatMap(other -> runs.stage(other, stage).map(m -> new Cached(other, m)))
                .filter(c -> RunStatus.SUCCEEDED.equals(c.manifest().status) && id.hash().equals(c.manifest().inputsHash)
                        && artifacts.verify(c.manifest().artifacts));
    }

    /** Another run's outputs copied into this run, so each run stays self-contained. */
    private StageResult copy(String runId, Stage stage, Identity id, Cached cached) {
        String source = cached.run();
        StageManifest theirs = cached.manifest();
        String from = RunStore.stagePrefix(source, stage);
        String to = RunStore.stagePrefix(runId, stage);
        List<Artifact> copied = new ArrayList<>();
        for (Artifact a : theirs.artifacts) {
            String key = to + a.key().substring(from.length());
            runs.objects().copy(a.key(), key);
            copied.add(new Artifact(a.name(), key, a.sha256(), a.size(), a.count()));
        }
        StageManifest mine = new StageManifest(stage.id());
        mine.status = RunStatus.SUCCEEDED;
        mine.inputsHash = id.hash();
        mine.settings = id.settings();
        mine.inputs = id.inputs();
        mine.artifacts = copied;
        mine.metrics = theirs.metrics;
        mine.earlyStop = theirs.earlyStop;
        mine.reusedFrom = source;
        runs.save(runId, mine);
        return new StageResult(stage.id(), copied, mine.metrics, source);
    }

    static String inputsHash(Stage stage, Map<String, Object> settings, List<Artifact> inputs) {
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("stage", stage.id());
        identity.put("settings", settings);
        identity.put("inputs", inputs.stream().map(Artifact::sha256).toList());
        try {
            byte[] canonical = RunStore.JSON.writeValueAsString(identity).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Thrown past this runner's own failure handling: a handover is not a failure of the stage. */
    private static final class HandedOver extends RuntimeException {
        HandedOver(String message) {
            super(message);
        }
    }
}
