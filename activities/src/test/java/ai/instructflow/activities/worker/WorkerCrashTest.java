package ai.instructflow.activities.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.activities.registry.RunRecord;
import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.activities.registry.StageManifest;
import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.activities.storage.StorageConfig;
import ai.instructflow.infra.InfraSettings;
import ai.instructflow.infra.Infrastructure;
import ai.instructflow.infra.TemporalConnection;
import ai.instructflow.workflows.PipelineWorkflow;
import ai.instructflow.workflows.RunSpec;
import ai.instructflow.workflows.RunStatus;
import ai.instructflow.workflows.Stage;
import ai.instructflow.workflows.StageResult;
import ai.instructflow.workflows.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker process leaves in the middle of SFT, killed with SIGKILL (its activity's heartbeat times
 * out) or given SIGTERM (it checkpoints and hands the stage over); a second worker process picks the
 * stage up from the latest checkpoint, and the run succeeds. A worker killed while the comparisons'
 * samples are made in shards loses the shard it was making, and only that one.
 */
class WorkerCrashTest {

    @TempDir
    Path data;

    @Test
    void aSecondWorkerFinishesSftFromTheKilledWorkersLastCheckpoint() throws Exception {
        StageManifest sft = sftAfterTheFirstWorkerLeaves("crash", Process::destroyForcibly);
        assertEquals("lost", sft.attempts.get(0).status, "the killed worker's attempt");
    }

    @Test
    void aWorkerGivenSigtermCheckpointsAndHandsTheStageToTheNext() throws Exception {
        StageManifest sft = sftAfterTheFirstWorkerLeaves("handover", Process::destroy);
        assertEquals(RunStatus.HANDED_OVER, sft.attempts.get(0).status, "the leaving worker's attempt");
        assertEquals(2, sft.attempts.size(), "nothing was lost between the two workers");
    }

    @Test
    void aWorkerKilledWhileSamplingLosesOnlyItsShardTheStoredShardsAreKept() throws Exception {
        try (Infrastructure infra = Infrastructure.start(InfraSettings.from(Map.of("INSTRUCTFLOW_DATA_DIR", data.toString())), 0, 0)) {
            WorkflowClient client = TemporalConnection.connect(infra.settings());
            RunStore runs = new RunStore(new ObjectStore(StorageConfig.from(infra.settings())));
            // 1,600 prompts x K=4: 25 of the sampler's chunks in 8 shards of seconds each, spread over two workers
            RunSpec spec = TinyRuns.spec("shard-lost", """
                    {"comparisons": {"prompts": 1500, "held_out": 100},
                     "runtime": {"collect-comparisons": {"heartbeat_seconds": 3, "max_attempts": 5}}}""");
            String id = RunStore.newRunId();
            runs.create(new RunRecord(id, "shard-lost", RunStatus.RUNNING, RunStore.now(), RunStore.now(), null, null, null, 1), spec);
            List<Process> workers = List.of(startWorker(infra.settings(), "shard-1"), startWorker(infra.settings(), "shard-2"));
            try {
                WorkflowClient.start(client.newWorkflowStub(PipelineWorkflow.class, WorkflowOptions.newBuilder()
                        .setWorkflowId(id).setTaskQueue(TaskQueues.CPU).build())::run, spec);
                String shards = RunStore.stagePrefix(id, Stage.COLLECT_COMPARISONS) + "labeling/";
                List<StageManifest.Shard> stored = List.of();
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
                while (stored.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    stored = storedShards(runs, shards);
                }
                assertFalse(stored.isEmpty(), "no shard was stored within 5 minutes");
                // the first shard's worker goes down in the middle of its next one
                String victim = stored.get(0).worker();
                Process killed = workers.stream().filter(w -> victim.startsWith(w.pid() + "@")).findFirst().orElseThrow();
                killed.destroyForcibly().waitFor();
                List<StageManifest.Shard> beforeTheKill = storedShards(runs, shards);

                client.newUntypedWorkflowStub(id).getResult(StageResult.class);
                assertEquals(RunStatus.SUCCEEDED, runs.run(id).orElseThrow().status());
                List<StageManifest.Shard> made = runs.stage(id, Stage.COLLECT_COMPARISONS).orElseThrow().shards;
                assertEquals(8, made.size());
                // what the killed worker had stored was not made again: those shards' records are its, unchanged
                assertTrue(made.containsAll(beforeTheKill), "kept " + beforeTheKill + ", recorded " + made);
                assertTrue(made.stream().filter(m -> !beforeTheKill.contains(m)).noneMatch(m -> m.worker().equals(victim)),
                        "after the kill only the other worker made shards: " + made);
                // the shard it was making when killed timed out and was made again, by the other worker, once
                assertEquals(1, made.stream().filter(m -> m.attempt() > 1).count(), "one shard retried: " + made);
                System.out.printf("killed %s with %d shard(s) stored; recorded: %s%n", victim, beforeTheKill.size(), made);
            } finally {
                workers.forEach(Process::destroyForcibly);
            }
        }
    }

    /** The shard records stored so far under a stage's labeling folder. */
    private static List<StageManifest.Shard> storedShards(RunStore runs, String labeling) {
        List<StageManifest.Shard> out = new ArrayList<>();
        for (String folder : runs.objects().folders(labeling)) {
            for (String key : runs.objects().list(folder + "shards/")) {
                if (key.endsWith(".json")) {
                    out.add(runs.objects().read(key, in -> RunStore.JSON.readValue(in, StageManifest.Shard.class)));
                }
            }
        }
        return out;
    }

    /**
     * Runs a tiny pipeline on a worker process, makes it leave once SFT has checkpointed, starts a
     * second one, and returns SFT's manifest once the run has succeeded.
     */
    private StageManifest sftAfterTheFirstWorkerLeaves(String name, Consumer<Process> leave) throws Exception {
        try (Infrastructure infra = Infrastructure.start(InfraSettings.from(Map.of("INSTRUCTFLOW_DATA_DIR", data.toString())), 0, 0)) {
            WorkflowClient client = TemporalConnection.connect(infra.settings());
            RunStore runs = new RunStore(new ObjectStore(StorageConfig.from(infra.settings())));
            RunSpec spec = TinyRuns.spec(name, 150, "{\"runtime\": {\"sft\": {\"heartbeat_seconds\": 3, \"max_attempts\": 5}}}");
            String id = RunStore.newRunId();
            runs.create(new RunRecord(id, name, RunStatus.RUNNING, RunStore.now(), RunStore.now(), null, null, null, 1), spec);

            Process first = startWorker(infra.settings(), name + "-1");
            Process second = null;
            try {
                WorkflowClient.start(client.newWorkflowStub(PipelineWorkflow.class, WorkflowOptions.newBuilder()
                        .setWorkflowId(id).setTaskQueue(TaskQueues.CPU).build())::run, spec);
                long checkpointed = TinyRuns.awaitSftCheckpoint(runs, id, 1, Duration.ofMinutes(3));
                leave.accept(first);
                // SIGTERM's grace is the worker's shutdown-grace-seconds (90); the stage stops at its next step
                assertTrue(first.waitFor(90, TimeUnit.SECONDS), "the first worker exited");
                second = startWorker(infra.settings(), name + "-2");

                client.newUntypedWorkflowStub(id).getResult(StageResult.class);
                assertEquals(RunStatus.SUCCEEDED, runs.run(id).orElseThrow().status());
                StageManifest sft = runs.stage(id, Stage.SFT).orElseThrow();
                assertEquals(RunStatus.SUCCEEDED, sft.status);
                StageManifest.Attempt last = sft.lastAttempt();
                assertTrue(sft.attempts.size() >= 2, "the first worker's attempt and the one that finished");
                assertTrue(last.resumedFromStep >= checkpointed && last.resumedFromStep > 0,
                        "resumed from step " + last.resumedFromStep + ", a checkpoint at " + checkpointed + " existed");
                return sft;
            } finally {
                first.destroyForcibly();
                if (second != null) {
                    second.destroyForcibly();
                }
            }
        }
    }

    private static Process startWorker(InfraSettings infra, String log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                WorkerMain.class.getName());
        pb.environment().put("INSTRUCTFLOW_TEMPORAL_TARGET", infra.temporalTarget());
        // an external endpoint, as the worker sees it: its keys come from configuration
        pb.environment().putAll(infra.storeVariables());
        pb.environment().put("INSTRUCTFLOW_METRICS_PORT", "0");
        pb.redirectErrorStream(true);
        pb.redirectOutput(new File(System.getProperty("java.io.tmpdir"), "instructflow-worker-" + log + ".log"));
        return pb.start();
    }
}
