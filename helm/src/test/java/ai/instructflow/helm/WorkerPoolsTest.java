package ai.instructflow.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.workflows.TaskQueues;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worker pools: what a CPU and a GPU pool get, with default and with production values, and their autoscaling. */
class WorkerPoolsTest {

    private static final Toleration GPU_TAINT = new TolerationBuilder()
            .withKey("nvidia.com/gpu").withOperator("Exists").withEffect("NoSchedule").build();

    @Test
    void theDefaultPoolsAreCpuAndGpuEachPollingItsQueuesOnItsDevice() {
        Rendered chart = Rendered.defaults();
        assertEquals(List.of("instructflow-api", "instructflow-worker-cpu", "instructflow-worker-gpu"),
                chart.all(Deployment.class).stream().map(d -> d.getMetadata().getName()).sorted().toList());
        Map<String, String> cpu = chart.environment(chart.worker("cpu"));
        assertEquals("cpu", cpu.get("INSTRUCTFLOW_WORKER_QUEUES"));
        assertEquals("cpu", cpu.get("INSTRUCTFLOW_DEVICE"));
        Map<String, String> gpu = chart.environment(chart.worker("gpu"));
        assertEquals("gpu", gpu.get("INSTRUCTFLOW_WORKER_QUEUES"));
        assertEquals("gpu", gpu.get("INSTRUCTFLOW_DEVICE"));
        for (Map<String, String> env : List.of(cpu, gpu)) {
            // where Temporal and S3 are, and where /metrics listens (0.0.0.0: Prometheus scrapes from another pod)
            assertEquals("temporal-frontend.temporal.svc.cluster.local:7233", env.get("INSTRUCTFLOW_TEMPORAL_TARGET"));
            assertEquals("default", env.get("INSTRUCTFLOW_TEMPORAL_NAMESPACE"));
            assertEquals("http://minio.minio.svc.cluster.local:9000", env.get("INSTRUCTFLOW_S3_ENDPOINT"));
            assertEquals("instructflow", env.get("INSTRUCTFLOW_S3_BUCKET"));
            assertEquals("0.0.0.0", env.get("INSTRUCTFLOW_HOST"));
            assertEquals("9464", env.get("INSTRUCTFLOW_METRICS_PORT"));
            assertEquals("secret:instructflow-s3/access-key", env.get("INSTRUCTFLOW_S3_ACCESS_KEY"));
            assertEquals("secret:instructflow-s3/secret-key", env.get("INSTRUCTFLOW_S3_SECRET_KEY"));
            assertTrue(env.get("JAVA_TOOL_OPTIONS").contains("-Dai.djl.offline=true"), "DJL never downloads");
            assertFalse(env.containsKey("INSTRUCTFLOW_TEMPORAL_TLS_CERT"), "plain gRPC unless TLS is on");
        }
    }

    @Test
    void aPoolsMetricsPortIsItsContainerPortAndWhereTheWorkerListens() {
        Rendered chart = Rendered.with("workers: [{name: a}, {name: b, metricsPort: 9465}]");
        for (Map.Entry<String, Integer> pool : Map.of("a", 9464, "b", 9465).entrySet()) {
            Deployment worker = chart.worker(pool.getKey());
            assertEquals(List.of(pool.getValue()), Rendered.container(worker).getPorts().stream()
                    .map(p -> p.getContainerPort()).toList(), pool.getKey());
            assertEquals(pool.getValue().toString(), chart.environment(worker).get("INSTRUCTFLOW_METRICS_PORT"), pool.getKey());
        }
    }

    @Test
    void aGpuPoolAsksForItsGpusRunsOnGpuNodesAndToleratesTheirTaint() {
        Rendered chart = Rendered.defaults();
        PodSpec gpu = chart.worker("gpu").getSpec().getTemplate().getSpec();
        Container worker = gpu.getContainers().get(0);
        assertEquals(new Quantity("1"), worker.getResources().getLimits().get("nvidia.com/gpu"));
        assertEquals(Map.of("nvidia.com/gpu.present", "true"), gpu.getNodeSelector());
        assertEquals(List.of(GPU_TAINT), gpu.getTolerations());
        assertEquals(300L, gpu.getTerminationGracePeriodSeconds());

        PodSpec cpu = chart.worker("cpu").getSpec().getTemplate().getSpec();
        assertFalse(cpu.getContainers().get(0).getResources().getLimits().containsKey("nvidia.com/gpu"));
        assertTrue(cpu.getTolerations().isEmpty(), "a CPU pool stays off GPU nodes: " + cpu.getTolerations());
        assertTrue(cpu.getNodeSelector().isEmpty());
        assertEquals(120L, cpu.getTerminationGracePeriodSeconds());
    }

    @Test
    void productionPoolsKeepTheirOwnSettingsOverTheDefaults() {
        Rendered chart = Rendered.production();
        PodSpec gpu = chart.worker("gpu").getSpec().getTemplate().getSpec();
        Container worker = gpu.getContainers().get(0);
        assertEquals(Map.of("memory", new Quantity("64Gi"), "nvidia.com/gpu", new Quantity("1")),
                worker.getResources().getLimits());
        assertEquals(new Quantity("8"), worker.getResources().getRequests().get("cpu"));
        assertEquals(Map.of("cloud.google.com/gke-accelerator", "nvidia-l4"), gpu.getNodeSelector());
        // the GPU taint's toleration comes with the pool's own ones
        assertEquals(2, gpu.getTolerations().size());
        assertTrue(gpu.getTolerations().contains(GPU_TAINT));
        assertEquals(600L, gpu.getTerminationGracePeriodSeconds());
        assertEquals("registry.example.com/instructflow/instructflow-worker:" + System.getProperty("project.version"),
                worker.getImage());
        Map<String, String> env = chart.environment(chart.worker("gpu"));
        assertEquals("instructflow", env.get("INSTRUCTFLOW_TEMPORAL_NAMESPACE"));
        assertEquals("/etc/instructflow/temporal-tls/tls.crt", env.get("INSTRUCTFLOW_TEMPORAL_TLS_CERT"));
        assertEquals("/etc/instructflow/temporal-tls/tls.key", env.get("INSTRUCTFLOW_TEMPORAL_TLS_KEY"));
        assertEquals("https://minio.storage.svc.cluster.local:9000", env.get("INSTRUCTFLOW_S3_ENDPOINT"));
        assertEquals("eu-west-1", env.get("INSTRUCTFLOW_S3_REGION"));
        assertEquals("instructflow-temporal-client",
                gpu.getVolumes().stream().filter(v -> v.getName().equals("temporal-tls")).findFirst().orElseThrow()
                        .getSecret().getSecretName());
        // KEDA owns the count of an autoscaled pool
        assertNull(chart.worker("gpu").getSpec().getReplicas());
    }

    @Test
    void kedaScalesEachPoolOnItsTaskQueuesAndTheGpuPoolToZero() {
        Rendered chart = Rendered.production();
        Map<String, GenericKubernetesResource> scaled = Map.of(
                "cpu", chart.all("ScaledObject").stream().filter(o -> o.getMetadata().getName().endsWith("-cpu")).findFirst().orElseThrow(),
                "gpu", chart.all("ScaledObject").stream().filter(o -> o.getMetadata().getName().endsWith("-gpu")).findFirst().orElseThrow());
        // a CPU worker also serves the labeling queue (PlatformWorker): its backlog wakes the pool too
        assertEquals(List.of(TaskQueues.CPU, TaskQueues.LABELING), taskQueues(scaled.get("cpu")));
        assertEquals(List.of(TaskQueues.GPU), taskQueues(scaled.get("gpu")));
        Map<String, Object> gpu = spec(scaled.get("gpu"));
        assertEquals("instructflow-worker-gpu", ((Map<?, ?>) gpu.get("scaleTargetRef")).get("name"));
        assertEquals(0, gpu.get("minReplicaCount"), "an idle GPU pool scales to zero");
        assertEquals(4, gpu.get("maxReplicaCount"));
        assertEquals(2, spec(scaled.get("cpu")).get("minReplicaCount"));
        for (Map<?, ?> trigger : triggers(scaled.get("gpu"))) {
            assertEquals("temporal", trigger.get("type"));
            assertEquals(Map.of("endpoint", "temporal-frontend.temporal.svc.cluster.local:7233", "namespace", "instructflow",
                    "taskQueue", TaskQueues.GPU, "targetQueueSize", "1", "activationTargetQueueSize", "0"), trigger.get("metadata"));
            // Temporal speaks mTLS here: KEDA uses the same client certificate Secret
            assertEquals(Map.of("name", "instructflow-temporal"), trigger.get("authenticationRef"));
        }
        GenericKubernetesResource auth = chart.all("TriggerAuthentication").get(0);
        assertEquals(List.of(Map.of("parameter", "cert", "name", "instructflow-temporal-client", "key", "tls.crt"),
                        Map.of("parameter", "key", "name", "instructflow-temporal-client", "key", "tls.key")),
                spec(auth).get("secretTargetRef"));

        assertTrue(Rendered.defaults().all("ScaledObject").isEmpty(), "autoscaling is opt-in: it needs KEDA");
    }

    @Test
    void aPoolSettingZeroOrFalseKeepsItOverATrueOrNonZeroDefault() {
        // Sprig's merge would take 0 and false for "not set": the chart lays pools over the defaults itself
        Rendered chart = Rendered.with("""
                workers:
                  - name: cpu
                    replicas: 0
                    podDisruptionBudget: {enabled: false}
                  - name: gpu
                    device: gpu
                """);
        assertEquals(0, chart.worker("cpu").getSpec().getReplicas());
        assertTrue(chart.find(PodDisruptionBudget.class, "instructflow-worker-cpu").isEmpty());
        assertTrue(chart.find(PodDisruptionBudget.class, "instructflow-worker-gpu").isPresent());
    }

    @Test
    void everyPoolHasADisruptionBudgetAndTheMetricsServiceListsAllWorkers() {
        Rendered chart = Rendered.defaults();
        for (String pool : List.of("cpu", "gpu")) {
            PodDisruptionBudget pdb = chart.get(PodDisruptionBudget.class, "instructflow-worker-" + pool);
            assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal());
            assertEquals(chart.worker(pool).getSpec().getSelector(), pdb.getSpec().getSelector());
        }
        io.fabric8.kubernetes.api.model.Service metrics = chart.get(io.fabric8.kubernetes.api.model.Service.class,
                "instructflow-worker-metrics");
        assertEquals("None", metrics.getSpec().getClusterIP());
        assertEquals("instructflow-worker", metrics.getMetadata().getLabels().get("instructflow.ai/job"));
        for (String pool : List.of("cpu", "gpu")) {
            Map<String, String> labels = chart.worker(pool).getSpec().getTemplate().getMetadata().getLabels();
            assertTrue(labels.entrySet().containsAll(metrics.getSpec().getSelector().entrySet()), pool + " is scraped");
        }
    }

    private static Map<String, Object> spec(GenericKubernetesResource o) {
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) o.getAdditionalProperties().get("spec");
        return spec;
    }

    private static List<Map<?, ?>> triggers(GenericKubernetesResource o) {
        return ((List<?>) spec(o).get("triggers")).stream().<Map<?, ?>>map(t -> (Map<?, ?>) t).toList();
    }

    private static List<String> taskQueues(GenericKubernetesResource o) {
        return triggers(o).stream().map(t -> (String) ((Map<?, ?>) t.get("metadata")).get("taskQueue")).toList();
    }
}
