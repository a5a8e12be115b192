package ai.instructflow.activities.worker;

import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.activities.storage.StorageConfig;
import ai.instructflow.infra.InfraSettings;
import ai.instructflow.infra.TemporalConnection;
import ai.instructflow.trainer.model.Devices;
import java.util.concurrent.CountDownLatch;

/**
 * {@code instructflow worker}: a worker only, pointed at a running Temporal service and S3 endpoint
 * (see {@link InfraSettings} and {@link WorkerSettings}). What a GPU node runs.
 */
public final class WorkerMain {

    private WorkerMain() {}

    public static void main(String[] args) throws InterruptedException {
        InfraSettings infra;
        WorkerSettings settings;
        try {
            infra = InfraSettings.fromEnvironment();
            settings = WorkerSettings.fromEnvironment();
            if (infra.embeddedTemporal() || infra.embeddedS3()) {
                throw new IllegalArgumentException("a worker joins a running platform: set INSTRUCTFLOW_TEMPORAL_TARGET "
                        + "and INSTRUCTFLOW_S3_ENDPOINT (a platform started with 'instructflow serve' prints both)");
            }
            Devices.parse(settings.device());
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        RunStore runs = new RunStore(new ObjectStore(StorageConfig.from(infra)));
        PlatformWorker worker = new PlatformWorker(TemporalConnection.connect(infra), runs, settings).start();
        System.out.println("worker " + settings.queues() + " on " + settings.device() + ", Temporal "
                + infra.temporalTarget() + ", S3 " + infra.s3Endpoint());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
