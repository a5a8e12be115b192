package ai.instructflow.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The API: interchangeable replicas with nothing embedded, tokens verified against the configured key, its probes. */
class ApiTest {

    @Test
    void replicasRunNothingEmbeddedAndVerifyTokensAgainstAConfiguredKey() {
        Rendered chart = Rendered.defaults();
        Map<String, String> env = chart.environment(chart.api());
        assertEquals("false", env.get("INSTRUCTFLOW_WORKER_ENABLED"), "no in-process worker");
        assertEquals("false", env.get("INSTRUCTFLOW_AUTH_EMBEDDED"), "no key pair of its own");
        // Temporal and S3 are external: InfraSettings starts nothing for a host:port or a URL
        assertEquals("temporal-frontend.temporal.svc.cluster.local:7233", env.get("INSTRUCTFLOW_TEMPORAL_TARGET"));
        assertEquals("http://minio.minio.svc.cluster.local:9000", env.get("INSTRUCTFLOW_S3_ENDPOINT"));
        assertEquals("secret:instructflow-s3/secret-key", env.get("INSTRUCTFLOW_S3_SECRET_KEY"));
        assertEquals("0.0.0.0", env.get("INSTRUCTFLOW_HOST"));
        // by default the key is a Secret's file, mounted read-only
        assertEquals("/etc/instructflow/jwt/public-key.pem", env.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION"));
        var pod = chart.api().getSpec().getTemplate().getSpec();
        assertEquals("instructflow-jwt", pod.getVolumes().stream().filter(v -> v.getName().equals("jwt")).findFirst()
                .orElseThrow().getSecret().getSecretName());
        assertTrue(Rendered.container(chart.api()).getVolumeMounts().stream()
                .anyMatch(m -> m.getName().equals("jwt") && m.getReadOnly()));
        assertFalse(env.containsKey("INSTRUCTFLOW_ADMIN_TOKEN"));
        assertEquals(List.of("serve"), Rendered.container(chart.api()).getArgs());
        assertEquals(2, chart.api().getSpec().getReplicas());
    }

    @Test
    void inProductionTokensComeFromTheOidcIssuerAndTheAdminTokenFromASecret() {
        Rendered chart = Rendered.production();
        Map<String, String> env = chart.environment(chart.api());
        assertEquals("https://idp.example.com/realms/instructflow/protocol/openid-connect/certs",
                env.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION"));
        assertEquals("https://idp.example.com/realms/instructflow", env.get("MP_JWT_VERIFY_ISSUER"));
        assertEquals("secret:instructflow-admin-token/admin-token", env.get("INSTRUCTFLOW_ADMIN_TOKEN"));
        assertTrue(chart.api().getSpec().getTemplate().getSpec().getVolumes().stream().noneMatch(v -> v.getName().equals("jwt")),
                "a key from a URL needs no Secret");
        assertEquals(3, chart.api().getSpec().getReplicas());

        Ingress ingress = chart.get(Ingress.class, "instructflow-api");
        assertEquals("instructflow.example.com", ingress.getSpec().getRules().get(0).getHost());
        assertEquals("instructflow-tls", ingress.getSpec().getTls().get(0).getSecretName());
        assertEquals("instructflow-api", ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend()
                .getService().getName());
        assertTrue(Rendered.defaults().all(Ingress.class).isEmpty(), "no Ingress unless asked");
    }

    @Test
    void probesAskQuarkusHealthAndTheServiceReachesTheHttpPort() {
        Rendered chart = Rendered.defaults();
        Container api = Rendered.container(chart.api());
        assertEquals("/q/health/ready", api.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/q/health/live", api.getLivenessProbe().getHttpGet().getPath());
        assertEquals("http", api.getLivenessProbe().getHttpGet().getPort().getStrVal());
        assertEquals(8080, api.getPorts().stream().filter(p -> p.getName().equals("http")).findFirst().orElseThrow()
                .getContainerPort());
        Service service = chart.get(Service.class, "instructflow-api");
        assertEquals("http", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        Map<String, String> labels = chart.api().getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(labels.entrySet().containsAll(service.getSpec().getSelector().entrySet()));
        assertFalse(service.getSpec().getSelector().containsKey("instructflow.ai/pool"));
        PodDisruptionBudget pdb = chart.get(PodDisruptionBudget.class, "instructflow-api");
        assertEquals(chart.api().getSpec().getSelector(), pdb.getSpec().getSelector());

        // a worker has no HTTP API: its probes ask the metrics server, which answers while the process lives
        for (String pool : List.of("cpu", "gpu")) {
            Container worker = Rendered.container(chart.worker(pool));
            for (var probe : List.of(worker.getLivenessProbe(), worker.getReadinessProbe(), worker.getStartupProbe())) {
                assertEquals("/-/healthy", probe.getHttpGet().getPath());
                assertEquals("metrics", probe.getHttpGet().getPort().getStrVal());
            }
        }
    }

    @Test
    void theApiListensOnItsContainerPortWhichTheProbesAndServiceFollowByName() {
        Rendered chart = Rendered.with("api: {containerPort: 18080}");
        Container api = Rendered.container(chart.api());
        assertEquals(List.of(18080), api.getPorts().stream().map(p -> p.getContainerPort()).toList());
        assertEquals("18080", chart.environment(chart.api()).get("QUARKUS_HTTP_PORT"));
        assertEquals("http", api.getReadinessProbe().getHttpGet().getPort().getStrVal());
    }

    @Test
    void changingASettingRollsThePods() {
        String before = checksum(Rendered.defaults().api());
        String after = checksum(Rendered.of(List.of(), Map.of("s3.bucket", "another")).api());
        assertFalse(before.equals(after), "the ConfigMap's checksum is on the pod template");
    }

    private static String checksum(Deployment d) {
        return d.getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/config");
    }
}
