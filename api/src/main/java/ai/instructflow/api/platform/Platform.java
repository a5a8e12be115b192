package ai.instructflow.api.platform;

import ai.instructflow.activities.metrics.MetricsServer;
import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.activities.storage.StorageConfig;
import ai.instructflow.activities.worker.PlatformWorker;
import ai.instructflow.activities.worker.WorkerSettings;
import ai.instructflow.infra.InfraSettings;
import ai.instructflow.infra.Infrastructure;
import ai.instructflow.infra.SettingSource;
import ai.instructflow.infra.TemporalConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.temporal.client.WorkflowClient;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The API's connection to the platform: starts the embedded Temporal service and S3 server when the
 * settings say "embedded" (the default), connects to them or to external ones, and runs an
 * in-process worker unless told not to. Every setting comes from the one Quarkus configuration: the
 * keys {@link InfraSettings} and {@link WorkerSettings} define (a worker process reads the same keys
 * from its environment), and the API's own in application.properties. The Temporal
 * SDK's metrics go to the API's registry ({@code /q/metrics}); the in-process worker serves its own
 * {@code /metrics}, as a worker process does.
 */
@Startup
@ApplicationScoped
public class Platform {

    private static final Logger LOG = Logger.getLogger(Platform.class);

    @ConfigProperty(name = "instructflow.temporal.port")
    int temporalPort;

    @ConfigProperty(name = "instructflow.s3.port")
    int s3Port;

    @ConfigProperty(name = "instructflow.worker.enabled")
    boolean workerEnabled;

    @Inject
    MeterRegistry meters;

    private Infrastructure infra;
    private WorkflowClient client;
    private RunStore runs;
    private MetricsServer workerMetrics;
    private PlatformWorker worker;
    private WorkerSettings workerSettings;

    @PostConstruct
    void start() {
        Config config = ConfigProvider.getConfig();
        SettingSource settingSource = property -> config.getOptionalValue(property, String.class);
        infra = Infrastructure.start(InfraSettings.from(settingSource), temporalPort, s3Port);
        InfraSettings settings = infra.settings();
        client = infra.connect(meters);
        runs = new RunStore(new ObjectStore(StorageConfig.from(settings)));
        if (workerEnabled) {
            workerSettings = WorkerSettings.from(settingSource);
            workerMetrics = MetricsServer.start(workerSettings.metricsHost(), workerSettings.metricsPort());
            // its queues may stay in its cache: it dies with an embedded service, and a server moves them on
            boolean stickyQueues = infra.embedsTemporal() || TemporalConnection.movesStickyTasks(client);
            worker = new PlatformWorker(client, runs, workerSettings, workerMetrics.meters(), stickyQueues).start();
        }
        LOG.infof("platform: Temporal %s, S3 %s (bucket %s), in-process worker %s", settings.temporalTarget(),
                settings.s3Endpoint(), settings.bucket(), workerEnabled ? "on, metrics " + workerMetrics.url() : "off");
    }

    @PreDestroy
    void stop() {
        if (worker != null) {
            // its stage checkpoints first, so a resume (or another worker) loses no steps
            worker.drain(workerSettings.shutdownGrace());
            workerMetrics.close();
        }
        TemporalConnection.close(client);
        infra.close();
    }

    public WorkflowClient client() {
        return client;
    }

    public RunStore runs() {
        return runs;
    }

    /** The in-process worker's {@code /metrics}, when there is one. */
    public Optional<String> workerMetricsUrl() {
        return Optional.ofNullable(workerMetrics).map(MetricsServer::url);
    }

    /** The in-process worker's device, when there is one: what a stage trained on here. */
    public Optional<String> workerDevice() {
        return Optional.ofNullable(workerSettings).map(WorkerSettings::device);
    }

    /** Where Temporal and S3 are, for workers in other processes to join. */
    public InfraSettings settings() {
        return infra.settings();
    }
}
