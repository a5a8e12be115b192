package ai.instructflow.activities.worker;

import ai.instructflow.activities.metrics.MetricsServer;
import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.activities.storage.StorageConfig;
import ai.instructflow.infra.InfraSettings;
import ai.instructflow.infra.TemporalConnection;
import ai.instructflow.trainer.model.Devices;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.temporal.client.WorkflowClient;
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
        MetricsServer metrics = MetricsServer.start(settings.metricsHost(), settings.metricsPort());
        // the API's registry binds these itself; a worker process binds its own, under the same names
        new JvmMemoryMetrics().bindTo(metrics.meters());
        new JvmGcMetrics().bindTo(metrics.meters());
        new JvmThreadMetrics().bindTo(metrics.meters());
        new ProcessorMetrics().bindTo(metrics.meters());
        new UptimeMetrics().bindTo(metrics.meters());
        RunStore runs = new RunStore(new ObjectStore(StorageConfig.from(infra)));
        WorkflowClient client = TemporalConnection.connect(infra, metrics.meters());
        // joining a platform's in-memory Temporal service from another process, its queues must not stay sticky
        PlatformWorker worker = new PlatformWorker(client, runs, settings, metrics.meters(),
                TemporalConnection.movesStickyTasks(client)).start();
        System.out.println("worker " + settings.queues() + " on " + settings.device() + ", Temporal "
                + infra.temporalTarget() + ", S3 " + infra.s3Endpoint() + ", metrics " + metrics.url());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.drain(settings.shutdownGrace());
            TemporalConnection.close(client);
            metrics.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
