package ai.instructflow.activities.stages;

import ai.instructflow.activities.metrics.RunGauges;
import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.activities.registry.StageManifest;
import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.activities.worker.DaemonThreads;
import ai.instructflow.trainer.train.Checkpoint;
import ai.instructflow.trainer.train.TrainingListener;
import ai.instructflow.workflows.Artifact;
import ai.instructflow.workflows.RunStatus;
import ai.instructflow.workflows.Stage;
import ai.instructflow.workflows.StageProgress;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityCompletionException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One attempt at a stage, as the training loop sees it ({@link TrainingListener}): a ticker thread
 * heartbeats every second with the latest progress (so a dead worker is noticed within the heartbeat
 * timeout, a cancel within a step, and the run's view is at most a second or two behind); checkpoints
 * go to object storage, into the stage's manifest and into the heartbeat, so the next attempt resumes
 * there. A checkpoint is written on a thread of its own while the loop trains on: the loop hands over
 * a snapshot already copied out of the tensors, and writing it (hashing, uploading, the manifest) held
 * the loop for about 6% of SFT's time in the demo. At most one is in flight; the attempt waits for it
 * before anything else reads the manifest or writes the stage's metrics.
 * Each step's metrics also go to the worker's gauges, labelled by run and stage.
 */
public final class StageAttempt implements TrainingListener, AutoCloseable {

    private static final int KEEP_CHECKPOINTS = 2;

    private final ActivityExecutionContext context;
    private final RunStore runs;
    private final Artifacts artifacts;
    private final String runId;
    private final Stage stage;
    private final StageManifest manifest;
    private final int attempt;
    private final ScheduledExecutorService ticker;
    private final ExecutorService writer;
    private final RunGauges.Live gauges;
    private final Handover handover;
    private final List<Map<String, Double>> history = new ArrayList<>();

    private volatile Heartbeat heartbeat;
    private volatile StageProgress progress;
    private volatile ActivityCompletionException cancellation;
    private long resumedFrom;
    /** The checkpoint being written; the attempt's own thread (the training loop's) is the only one to touch it. */
    private Future<?> writing;

    StageAttempt(ActivityExecutionContext context, RunStore runs, String runId, PipelineStage definition,
                 StageManifest manifest, RunGauges gauges, Handover handover) {
        Stage stage = definition.stage();
        this.context = context;
        this.runs = runs;
        this.artifacts = new Artifacts(runs.objects());
        this.runId = runId;
        this.stage = stage;
        this.manifest = manifest;
        this.attempt = context.getInfo().getAttempt();
        this.progress = new StageProgress(stage.id(), RunStatus.RUNNING, 0, 0, Map.of(), attempt, 0);
        this.heartbeat = context.getHeartbeatDetails(Heartbeat.class).orElse(null);
        this.gauges = gauges.start(runId, stage.id(), definition.metrics());
        this.handover = handover;
        this.ticker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("heartbeat-" + stage.id()));
        ticker.scheduleWithFixedDelay(this::tick, 0, 1, TimeUnit.SECONDS);
        this.writer = Executors.newSingleThreadExecutor(DaemonThreads.named("checkpoint-" + stage.id()));
    }

    /**
     * Runs the stage's work, then waits for the checkpoint still being written, so that what follows
     * (the outputs, a cancel or a hand-over recorded in the manifest, a failure) sees it there.
     */
    public <T> T training(Supplier<T> work) {
        T result;
        try {
            result = work.get();
        } catch (RuntimeException | Error e) {
            try {
                awaitCheckpoint();
            } catch (RuntimeException late) {
                e.addSuppressed(late);
            }
            throw e;
        }
        awaitCheckpoint();
        return result;
    }

    /** Which of the stage's activity attempts this is (1 for the first). */
    public int number() {
        return attempt;
    }

    /** Records, on the stage's manifest, the shards its work's material was generated in. */
    public void recordShards(List<StageManifest.Shard> shards) {
        manifest.shards = List.copyOf(shards);
        runs.save(runId, manifest);
    }

    /**
     * The checkpoint this attempt continues from: the latest the manifest recorded (after a crash, a
     * handover, a cancel or a restart of the whole platform), else the one the previous attempt
     * heartbeated, or null to start from scratch. One whose bytes are no longer those recorded (a torn write, a disk
     * that rotted, a hand in the bucket) is passed over for the one before it, and named in the attempt.
     */
    public Checkpoint resumeCheckpoint() {
        Map<String, Artifact> candidates = new LinkedHashMap<>();
        // the manifest first: it records each checkpoint before a heartbeat carries it, and a worker that
        // shuts down may leave no heartbeat of its last one
        if (manifest.checkpoint != null) {
            candidates.put(manifest.checkpoint.key(), manifest.checkpoint);
        }
        if (heartbeat != null && heartbeat.checkpointKey() != null) {
            candidates.putIfAbsent(heartbeat.checkpointKey(),
                    new Artifact("checkpoint", heartbeat.checkpointKey(), heartbeat.checkpointSha256(), 0, 0));
        }
        manifest.earlierCheckpoints.forEach(c -> candidates.putIfAbsent(c.key(), c));
        List<String> corrupt = new ArrayList<>();
        Artifact from = null;
        // hashed before it is parsed: a corrupt length field could otherwise ask the parser for gigabytes
        for (Artifact candidate : candidates.values()) {
            if (artifacts.intact(candidate)) {
                from = candidate;
                break;
            }
            corrupt.add(candidate.key());
        }
        if (!corrupt.isEmpty()) {
            manifest.lastAttempt().corruptCheckpoints = corrupt;
            runs.save(runId, manifest);
        }
        if (from == null) {
            return null;
        }
        Checkpoint checkpoint = artifacts.load(from, Checkpoint::read);
        resumedFrom = checkpoint.getLong("step");
        restoreHistory(resumedFrom);
        manifest.lastAttempt().resumedFromStep = resumedFrom;
        runs.save(runId, manifest);
        progress = new StageProgress(stage.id(), RunStatus.RUNNING, resumedFrom, 0, Map.of(), attempt, resumedFrom);
        return checkpoint;
    }

    public long resumedFromStep() {
        return resumedFrom;
    }

    @Override
    public void onStep(String stageName, long step, long total, Map<String, Double> metrics) {
        Map<String, Double> row = new LinkedHashMap<>();
        row.put("step", (double) step);
        row.putAll(metrics);
        synchronized (history) {
            history.add(row);
        }
        progress = new StageProgress(stage.id(), RunStatus.RUNNING, step, total, Map.copyOf(metrics), attempt, resumedFrom);
        gauges.step(step, total, metrics);
    }

    /** The stage's results (a collect stage's labeler agreement, the evaluation's win rate) join its gauges. */
    public void recordResults(Map<String, Double> results) {
        gauges.record(results);
    }

    @Override
    public void onCheckpoint(String stageName, long step, Checkpoint checkpoint) {
        // a slow store makes the loop wait for the one before rather than pile snapshots up in memory
        awaitCheckpoint();
        writing = writer.submit(() -> write(step, checkpoint));
    }

    /** Waits for the checkpoint being written, if any, and rethrows what made it fail. */
    private void awaitCheckpoint() {
        if (writing == null) {
            return;
        }
        try {
            writing.get();
            writing = null;
        } catch (InterruptedException e) {
            // still in flight: whoever waits next waits for it
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a checkpoint of stage " + stage.id() + " was written", e);
        } catch (ExecutionException e) {
            writing = null;
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("writing a checkpoint of stage " + stage.id() + " failed", e.getCause());
        }
    }

    private void write(long step, Checkpoint checkpoint) {
        String key = RunStore.stagePrefix(runId, stage) + String.format("checkpoints/step-%08d.ckpt", step);
        Artifact saved = artifacts.save("checkpoint", key, 0, checkpoint::write, "application/octet-stream");
        writeMetrics();
        List<Artifact> earlier = new ArrayList<>();
        if (manifest.checkpoint != null && !manifest.checkpoint.key().equals(key)) {
            earlier.add(manifest.checkpoint);
        }
        manifest.earlierCheckpoints.stream().filter(c -> !c.key().equals(key)).forEach(earlier::add);
        manifest.earlierCheckpoints = new ArrayList<>(earlier.subList(0, Math.min(earlier.size(), KEEP_CHECKPOINTS - 1)));
        manifest.checkpoint = saved;
        manifest.checkpointStep = step;
        runs.save(runId, manifest);
        heartbeat = new Heartbeat(key, saved.sha256(), step, progress);
        // the rest are no longer needed to resume; the latest few are kept against a corrupt one
        Set<String> kept = new HashSet<>();
        kept.add(key);
        manifest.earlierCheckpoints.forEach(c -> kept.add(c.key()));
        for (String old : runs.objects().list(RunStore.stagePrefix(runId, stage) + "checkpoints/")) {
            if (!kept.contains(old)) {
                runs.objects().delete(old);
            }
        }
    }

    /** A cancel of the run, or the worker leaving: either way the trainer checkpoints and stops at its next step. */
    @Override
    public boolean cancelled() {
        return cancellation != null || handover.requested();
    }

    /**
     * Whether the stage is stopping because this worker is leaving rather than because the run was
     * cancelled: a heartbeat during the worker's shutdown reports the shutdown, not a cancel.
     */
    public boolean handingOver() {
        return handover.requested() && !(cancellation instanceof ActivityCanceledException);
    }

    /** Rethrows a cancellation the ticker received, so Temporal records the activity as cancelled. */
    public void throwIfCancelled() {
        if (cancellation != null) {
            throw cancellation;
        }
    }

    /** The per-step metrics so far, as JSON lines: kept with the run so its history outlives any metrics server. */
    public Artifact saveMetrics() {
        // the checkpoint's writer writes them too: the last word must be this one
        awaitCheckpoint();
        return writeMetrics();
    }

    private Artifact writeMetrics() {
        List<Map<String, Double>> rows;
        synchronized (history) {
            rows = List.copyOf(history);
        }
        return artifacts.save("metrics", metricsKey(), rows.size(), out -> MetricsHistory.write(rows, out),
                "application/x-ndjson");
    }

    private void restoreHistory(long upToStep) {
        List<Map<String, Double>> stored;
        try {
            stored = runs.objects().read(metricsKey(), MetricsHistory::read);
        } catch (ObjectStore.NotFound e) {
            return;  // the checkpoint came before any metrics were saved
        }
        synchronized (history) {
            history.clear();
            stored.stream().filter(row -> row.get("step") <= upToStep).forEach(history::add);
        }
    }

    private String metricsKey() {
        return MetricsHistory.key(runId, stage);
    }

    private void tick() {
        Heartbeat checkpointed = heartbeat;
        try {
            context.heartbeat(checkpointed == null ? Heartbeat.of(progress) : checkpointed.with(progress));
        } catch (ActivityCompletionException e) {
            cancellation = e;
        } catch (RuntimeException e) {
            // a missed heartbeat is retried on the next tick; the timeout allows for several
        }
    }

    /** Stops the ticker; once the attempt ends, its manifest has the final word on its progress. */
    @Override
    public void close() {
        gauges.close();
        ticker.shutdown();
        writer.shutdown();
        try {
            ticker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
