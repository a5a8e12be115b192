package ai.instructflow.api.platform;

import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.activities.storage.StorageConfig;
import ai.instructflow.activities.worker.PlatformWorker;
import ai.instructflow.activities.worker.WorkerSettings;
import ai.instructflow.infra.InfraSettings;
import ai.instructflow.infra.Infrastructure;
import ai.instructflow.infra.TemporalConnection;
import io.quarkus.runtime.Startup;
import io.temporal.client.WorkflowClient;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The API's connection to the platform: starts the embedded Temporal service and S3 server when the
 * settings say "embedded" (the default), connects to them or to external ones, and runs an
 * in-process worker unless told not to. Settings come from the environment ({@link InfraSettings},
 * {@link WorkerSettings}) and the {@code instructflow.*} keys in application.properties.
 */
@Startup
@ApplicationScoped
public class Platform {

    private static final Logger LOG = Logger.getLogger(Platform.class);

    @ConfigProperty(name = "instructflow.data-dir")
    Path dataDir;

    @ConfigProperty(name = "instructflow.temporal.port")
    int temporalPort;

    @ConfigProperty(name = "instructflow.s3.port")
    int s3Port;

    @ConfigProperty(name = "instructflow.worker.enabled")
    boolean workerEnabled;

    private Infrastructure infra;
    private WorkflowClient client;
    private RunStore runs;
    private PlatformWorker worker;

    @PostConstruct
    void start() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putIfAbsent("INSTRUCTFLOW_DATA_DIR", dataDir.toString());
        infra = Infrastructure.start(InfraSettings.from(env), temporalPort, s3Port);
        InfraSettings settings = infra.settings();
        client = TemporalConnection.connect(settings);
        runs = new RunStore(new ObjectStore(StorageConfig.from(settings)));
        if (workerEnabled) {
            worker = new PlatformWorker(client, runs, WorkerSettings.from(env)).start();
        }
        LOG.infof("platform: Temporal %s, S3 %s (bucket %s), in-process worker %s", settings.temporalTarget(),
                settings.s3Endpoint(), settings.bucket(), workerEnabled ? "on" : "off");
    }

    @PreDestroy
    void stop() {
        if (worker != null) {
            worker.close();
        }
        client.getWorkflowServiceStubs().shutdownNow();
        infra.close();
    }

    public WorkflowClient client() {
        return client;
    }

    public RunStore runs() {
        return runs;
    }

    /** Where Temporal and S3 are, for workers in other processes to join. */
    public InfraSettings settings() {
        return infra.settings();
    }
}
