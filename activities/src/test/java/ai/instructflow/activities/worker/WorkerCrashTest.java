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
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker process leaves in the middle of SFT, killed with SIGKILL (its activity's heartbeat times
 * out) or given SIGTERM (it checkpoints and hands the stage over); a second worker process picks the
 * stage up from the latest checkpoint, and the run succeeds.
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
        pb.environment().put("INSTRUCTFLOW_S3_ENDPOINT", infra.s3Endpoint());
        // an external endpoint, as the worker sees it: its keys come from configuration
        pb.environment().put("INSTRUCTFLOW_S3_ACCESS_KEY", infra.s3AccessKey());
        pb.environment().put("INSTRUCTFLOW_S3_SECRET_KEY", infra.s3SecretKey());
        pb.environment().put("INSTRUCTFLOW_METRICS_PORT", "0");
        pb.redirectErrorStream(true);
        pb.redirectOutput(new File(System.getProperty("java.io.tmpdir"), "instructflow-worker-" + log + ".log"));
        return pb.start();
    }
}
