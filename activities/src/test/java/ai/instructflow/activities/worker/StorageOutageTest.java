package ai.instructflow.activities.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.activities.registry.RunRecord;
import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.activities.registry.StageManifest;
import ai.instructflow.activities.stages.Artifacts;
import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.activities.storage.StorageConfig;
import ai.instructflow.infra.EmbeddedS3;
import ai.instructflow.infra.InfraSettings;
import ai.instructflow.infra.Infrastructure;
import ai.instructflow.infra.TemporalConnection;
import ai.instructflow.workflows.PipelineWorkflow;
import ai.instructflow.workflows.RunSpec;
import ai.instructflow.workflows.RunStatus;
import ai.instructflow.workflows.Stage;
import ai.instructflow.workflows.StageResult;
import ai.instructflow.workflows.TaskQueues;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The object store goes away for 30 seconds in the middle of SFT, as a MinIO pod restarting would:
 * the attempt that was writing a checkpoint fails, Temporal retries the stage with backoff, and once
 * the store is back the stage continues from its last verified checkpoint and the run finishes.
 */
class StorageOutageTest {

    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final String ACCESS_KEY = "outage-drill";
    private static final String SECRET_KEY = "outage-drill-secret";

    @TempDir
    Path data;

    @Test
    void sftWeathersThirtySecondsWithoutStorageAndFinishesFromItsCheckpoint() throws Exception {
        Path bucketDir = data.resolve("s3");
        EmbeddedS3 s3 = EmbeddedS3.start(bucketDir, "127.0.0.1", 0, ACCESS_KEY, SECRET_KEY);
        // it comes back where it was, as a restarted MinIO behind its Service would
        int port = s3.endpoint().getPort();
        InfraSettings settings = InfraSettings.from(Map.of("INSTRUCTFLOW_DATA_DIR", data.toString(),
                "INSTRUCTFLOW_S3_ENDPOINT", s3.endpoint().toString(),
                "INSTRUCTFLOW_S3_ACCESS_KEY", ACCESS_KEY, "INSTRUCTFLOW_S3_SECRET_KEY", SECRET_KEY));
        try (Infrastructure infra = Infrastructure.start(settings, 0, 0)) {
            WorkflowClient client = TemporalConnection.connect(infra.settings());
            RunStore runs = new RunStore(new ObjectStore(StorageConfig.from(infra.settings())));
            try (PlatformWorker worker = new PlatformWorker(client, runs, WorkerSettings.from(Map.of()),
                    new SimpleMeterRegistry(), infra.embedsTemporal()).start()) {
                // a checkpoint at every step, so that whatever pace the machine keeps, SFT writes while the store is away
                RunSpec spec = TinyRuns.spec("outage", 100, "{\"sft\": {\"checkpoint_every\": 1}}");
                String id = RunStore.newRunId();
                runs.create(new RunRecord(id, "outage", RunStatus.RUNNING, RunStore.now(), RunStore.now(), null, null, null, 1),
                        spec);
                WorkflowClient.start(client.newWorkflowStub(PipelineWorkflow.class, WorkflowOptions.newBuilder()
                        .setWorkflowId(id).setTaskQueue(TaskQueues.CPU).build())::run, spec);
                long checkpointed = TinyRuns.awaitSftCheckpoint(runs, id, 20, Duration.ofMinutes(3));

                s3.close();
                Thread.sleep(OUTAGE.toMillis());  // the outage itself, not a wait for anything
                s3 = EmbeddedS3.start(bucketDir, "127.0.0.1", port, ACCESS_KEY, SECRET_KEY);

                client.newUntypedWorkflowStub(id).getResult(StageResult.class);
                assertEquals(RunStatus.SUCCEEDED, runs.run(id).orElseThrow().status());
                StageManifest sft = runs.stage(id, Stage.SFT).orElseThrow();
                assertEquals(RunStatus.SUCCEEDED, sft.status);
                assertTrue(sft.attempts.size() >= 2, "attempts failed while the store was away: " + sft.attempts.size());
                assertTrue(sft.lastAttempt().resumedFromStep >= checkpointed,
                        "resumed from step " + sft.lastAttempt().resumedFromStep + ", a checkpoint at " + checkpointed + " existed");
                assertTrue(new Artifacts(runs.objects()).verify(sft.artifacts), "SFT's outputs are whole");
            }
        } finally {
            s3.close();
        }
    }
}
