package ai.instructflow.activities.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker process killed with SIGKILL in the middle of SFT: the activity's heartbeat times out, a
 * second worker process picks the stage up from the checkpoint the first one heartbeated, and the
 * run succeeds.
 */
class WorkerCrashTest {

    @TempDir
    Path data;

    @Test
    void aSecondWorkerFinishesSftFromTheKilledWorkersLastCheckpoint() throws Exception {
        try (Infrastructure infra = Infrastructure.start(InfraSettings.from(Map.of("INSTRUCTFLOW_DATA_DIR", data.toString())), 0, 0)) {
            WorkflowClient client = TemporalConnection.connect(infra.settings());
            RunStore runs = new RunStore(new ObjectStore(StorageConfig.from(infra.settings())));
            RunSpec spec = TinyRuns.spec("crash", 400, "{\"runtime\": {\"sft\": {\"heartbeat_seconds\": 3, \"max_attempts\": 5}}}");
            String id = RunStore.newRunId();
            runs.create(new RunRecord(id, "crash", RunStatus.RUNNING, RunStore.now(), RunStore.now(), null, null, null, 1), spec);

            Process first = startWorker(infra.settings());
            Process second = null;
            try {
                WorkflowClient.start(client.newWorkflowStub(PipelineWorkflow.class, WorkflowOptions.newBuilder()
                        .setWorkflowId(id).setTaskQueue(TaskQueues.CPU).build())::run, spec);
                long checkpointed = awaitSftCheckpoint(runs, id, Duration.ofMinutes(3));
                first.destroyForcibly();  // SIGKILL: no shutdown hook, no last heartbeat
                assertTrue(first.waitFor(30, TimeUnit.SECONDS));
                second = startWorker(infra.settings());

                client.newUntypedWorkflowStub(id).getResult(StageResult.class);
                assertEquals(RunStatus.SUCCEEDED, runs.run(id).orElseThrow().status());
                StageManifest sft = runs.stage(id, Stage.SFT).orElseThrow();
                assertEquals(RunStatus.SUCCEEDED, sft.status);
                StageManifest.Attempt last = sft.lastAttempt();
                assertTrue(sft.attempts.size() >= 2, "the killed attempt and the one that finished");
                assertEquals("lost", sft.attempts.get(0).status, "the killed worker's attempt");
                assertTrue(last.resumedFromStep >= checkpointed && last.resumedFromStep > 0,
                        "resumed from step " + last.resumedFromStep + ", a checkpoint at " + checkpointed + " existed");
            } finally {
                first.destroyForcibly();
                if (second != null) {
                    second.destroyForcibly();
                }
            }
        }
    }

    /** Polls the registry until SFT has a checkpoint; returns its step. */
    private static long awaitSftCheckpoint(RunStore runs, String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            StageManifest sft = runs.stage(id, Stage.SFT).orElse(null);
            if (sft != null && sft.checkpointStep != null && sft.checkpointStep > 0) {
                return sft.checkpointStep;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("SFT wrote no checkpoint within " + timeout);
    }

    private static Process startWorker(InfraSettings infra) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                WorkerMain.class.getName());
        pb.environment().put("INSTRUCTFLOW_TEMPORAL_TARGET", infra.temporalTarget());
        pb.environment().put("INSTRUCTFLOW_S3_ENDPOINT", infra.s3Endpoint());
        // an external endpoint, as the worker sees it: its keys come from configuration
        pb.environment().put("INSTRUCTFLOW_S3_ACCESS_KEY", infra.s3AccessKey());
        pb.environment().put("INSTRUCTFLOW_S3_SECRET_KEY", infra.s3SecretKey());
        pb.environment().put("INSTRUCTFLOW_PROGRESS_MS", "500");
        pb.environment().put("INSTRUCTFLOW_METRICS_PORT", "0");
        pb.redirectErrorStream(true);
        pb.redirectOutput(new File(System.getProperty("java.io.tmpdir"), "instructflow-crash-worker.log"));
        return pb.start();
    }
}
