package ai.instructflow.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What every pod of the chart must be, with default and production values: non-root, no privilege escalation, no
 * capabilities, a read-only root with scratch volumes where it writes, no secret value anywhere in the manifests.
 */
class PodSecurityTest {

    private static final List<Rendered> BOTH = List.of(Rendered.defaults(), Rendered.production());
    /** Environment names that carry a credential: each must come from a Secret by reference. */
    private static final Pattern SECRET_NAME = Pattern.compile(".*(SECRET|ACCESS_KEY|TOKEN|PASSWORD|TLS_KEY).*");

    @Test
    void everyContainerRunsAsNonRootWithoutPrivilegesOnAReadOnlyRoot() {
        for (Rendered chart : BOTH) {
            for (Deployment d : chart.all(Deployment.class)) {
                String name = d.getMetadata().getName();
                PodSpec pod = d.getSpec().getTemplate().getSpec();
                assertTrue(pod.getSecurityContext().getRunAsNonRoot(), name);
                assertTrue(pod.getSecurityContext().getRunAsUser() > 0, name);
                assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType(), name);
                assertFalse(pod.getAutomountServiceAccountToken(), name + ": InstructFlow calls no Kubernetes API");
                assertEquals("instructflow", pod.getServiceAccountName());
                for (Container c : pod.getContainers()) {
                    SecurityContext sc = c.getSecurityContext();
                    assertTrue(sc.getRunAsNonRoot(), name);
                    assertFalse(sc.getAllowPrivilegeEscalation(), name);
                    assertTrue(sc.getReadOnlyRootFilesystem(), name);
                    assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), name);
                    assertTrue(sc.getCapabilities().getAdd() == null || sc.getCapabilities().getAdd().isEmpty(), name);
                    assertNotNull(sc);
                    // the only writable places: /tmp and the DJL cache, both emptyDir
                    Map<String, String> env = chart.environment(d);
                    Map<String, String> writable = Map.of("/tmp", "tmp", env.get("DJL_CACHE_DIR"), "djl-cache");
                    writable.forEach((path, volume) -> {
                        VolumeMount mount = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path))
                                .findFirst().orElseThrow(() -> new AssertionError(name + " mounts nothing at " + path));
                        assertEquals(volume, mount.getName());
                        Volume v = pod.getVolumes().stream().filter(x -> x.getName().equals(volume)).findFirst().orElseThrow();
                        assertNotNull(v.getEmptyDir(), name + ": " + volume + " is an emptyDir");
                    });
                    assertTrue(env.get("INSTRUCTFLOW_DATA_DIR").startsWith("/tmp/"), "local state goes to scratch");
                    for (VolumeMount m : c.getVolumeMounts()) {
                        if (!writable.containsKey(m.getMountPath())) {
                            assertTrue(Boolean.TRUE.equals(m.getReadOnly()), name + " mounts " + m.getMountPath() + " read-only");
                        }
                    }
                }
            }
        }
    }

    @Test
    void noSecretValueIsInlinedAnywhere() {
        for (Rendered chart : BOTH) {
            assertTrue(chart.objects().stream().noneMatch(o -> o.getKind().equals("Secret")),
                    "the chart makes no Secret: it refers to existing ones");
            for (Deployment d : chart.all(Deployment.class)) {
                for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                    for (EnvVar var : c.getEnv()) {
                        if (SECRET_NAME.matcher(var.getName()).matches() && !var.getName().endsWith("_TLS_KEY")) {
                            assertNotNull(var.getValueFrom(), var.getName() + " has an inline value");
                            assertNotNull(var.getValueFrom().getSecretKeyRef(), var.getName() + " comes from a Secret");
                        }
                    }
                }
            }
            // the settings ConfigMap holds addresses and file paths, never a credential
            for (ConfigMap cm : chart.all(ConfigMap.class)) {
                cm.getData().forEach((key, value) -> {
                    assertFalse(SECRET_NAME.matcher(key).matches() && !key.endsWith("_TLS_KEY") && !key.endsWith("_TLS_CERT"),
                            cm.getMetadata().getName() + " holds " + key);
                    if (key.endsWith("_TLS_KEY")) {
                        assertTrue(value.startsWith("/etc/instructflow/"), "the TLS key is a mounted file's path, not a key");
                    }
                });
            }
            // nothing in the whole output looks like a private key or the embedded defaults' S3 secret
            assertFalse(chart.yaml().contains("PRIVATE KEY"));
            assertFalse(chart.yaml().contains("instructflow-secret"));
        }
    }

    @Test
    void networkPoliciesAdmitOnlyTheServedPorts() {
        Rendered defaults = Rendered.defaults();
        NetworkPolicy api = defaults.get(NetworkPolicy.class, "instructflow-api");
        assertEquals(List.of("Ingress"), api.getSpec().getPolicyTypes(), "egress is open until you list it");
        // by name: whatever number api.containerPort or a pool's metricsPort gives it
        assertEquals("http", api.getSpec().getIngress().get(0).getPorts().get(0).getPort().getStrVal());
        NetworkPolicy worker = defaults.get(NetworkPolicy.class, "instructflow-worker");
        assertEquals(List.of("metrics"), worker.getSpec().getIngress().stream().flatMap(r -> r.getPorts().stream())
                .map(p -> p.getPort().getStrVal()).toList());

        Rendered production = Rendered.production();
        NetworkPolicy prodWorker = production.get(NetworkPolicy.class, "instructflow-worker");
        assertEquals(List.of("Ingress", "Egress"), prodWorker.getSpec().getPolicyTypes());
        assertEquals("monitoring", prodWorker.getSpec().getIngress().get(0).getFrom().get(0).getNamespaceSelector()
                .getMatchLabels().get("kubernetes.io/metadata.name"));
        assertEquals(Stream.of(53, 53, 7233, 9000, 443).toList(), prodWorker.getSpec().getEgress().stream()
                .flatMap(r -> r.getPorts().stream()).map(p -> p.getPort().getIntVal()).toList());
    }
}
