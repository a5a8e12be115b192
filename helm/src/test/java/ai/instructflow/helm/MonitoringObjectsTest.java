package ai.instructflow.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shipped dashboards and alert rules exist once, in the chart's files/ (the api module's MonitoringTest checks
 * the same files against a real Prometheus): the chart must carry them unchanged, and its Prometheus-operator
 * objects only where that API is. helm-java's template takes no --api-versions, so "the API is there" is tested
 * through monitoring.assumePrometheusOperator, the same condition's other half; the Capabilities half is Helm's.
 */
class MonitoringObjectsTest {

    private static final Path FILES = Path.of("instructflow", "files");

    @Test
    void prometheusOperatorObjectsOnlyWhereItsApiIs() {
        Rendered plain = Rendered.defaults();
        assertTrue(plain.all("ServiceMonitor").isEmpty(), "helm template sees no monitoring.coreos.com/v1");
        assertTrue(plain.all("PrometheusRule").isEmpty());

        Rendered monitored = Rendered.of(List.of(Rendered.PRODUCTION), Map.of("monitoring.assumePrometheusOperator", "true"));
        List<GenericKubernetesResource> monitors = monitored.all("ServiceMonitor");
        assertEquals(2, monitors.size());
        // each ServiceMonitor selects one Service, and names its job from the label the rules and dashboards use
        Map<String, String> jobs = new TreeMap<>();
        for (GenericKubernetesResource monitor : monitors) {
            Map<?, ?> spec = (Map<?, ?>) monitor.getAdditionalProperties().get("spec");
            assertEquals("instructflow.ai/job", spec.get("jobLabel"));
            assertEquals("kube-prometheus-stack", monitor.getMetadata().getLabels().get("release"));
            Map<?, ?> selector = (Map<?, ?>) ((Map<?, ?>) spec.get("selector")).get("matchLabels");
            List<Service> selected = monitored.all(Service.class).stream()
                    .filter(s -> s.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())).toList();
            assertEquals(1, selected.size(), monitor.getMetadata().getName() + " selects " + selected);
            Map<?, ?> endpoint = (Map<?, ?>) ((List<?>) spec.get("endpoints")).get(0);
            Service service = selected.get(0);
            assertTrue(service.getSpec().getPorts().stream().anyMatch(p -> p.getName().equals(endpoint.get("port"))));
            jobs.put(service.getMetadata().getLabels().get("instructflow.ai/job"), (String) endpoint.get("path"));
        }
        assertEquals(Map.of("instructflow-api", "/q/metrics", "instructflow-worker", "/metrics"), jobs);

        List<GenericKubernetesResource> rules = monitored.all("PrometheusRule");
        assertEquals(1, rules.size());
        JsonNode spec = StrictYaml.LENIENT.valueToTree(rules.get(0).getAdditionalProperties().get("spec"));
        assertEquals(StrictYaml.LENIENT.readTree(FILES.resolve("prometheus/rules/instructflow.rules.yml").toFile()), spec,
                "the PrometheusRule is the repository's rules file");
    }

    @Test
    void theDashboardConfigMapsAreExactlyTheRepositorysJsonFiles() throws IOException {
        Map<String, String> shipped = new TreeMap<>();
        try (Stream<Path> files = Files.list(FILES.resolve("grafana/dashboards"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                shipped.put(f.getFileName().toString(), Files.readString(f));
            }
        }
        assertEquals(List.of("labeling.json", "runs-overview.json", "training.json"), List.copyOf(shipped.keySet()));
        Map<String, String> rendered = new TreeMap<>();
        for (ConfigMap cm : Rendered.defaults().all(ConfigMap.class)) {
            if ("1".equals(cm.getMetadata().getLabels().get("grafana_dashboard"))) {
                assertEquals(1, cm.getData().size(), cm.getMetadata().getName() + " holds one dashboard");
                assertEquals("InstructFlow", cm.getMetadata().getAnnotations().get("grafana_folder"));
                rendered.putAll(cm.getData());
            }
        }
        assertEquals(shipped.keySet(), rendered.keySet());
        JsonMapper json = JsonMapper.builder().build();
        shipped.forEach((name, text) -> {
            // YAML's block scalar keeps the text; only a final newline may differ
            assertEquals(text.stripTrailing(), rendered.get(name).stripTrailing(), name);
            assertEquals(json.readTree(text), json.readTree(rendered.get(name)), name);
        });
        assertTrue(Rendered.of(List.of(), Map.of("monitoring.dashboards.enabled", "false")).all(ConfigMap.class).stream()
                .noneMatch(cm -> cm.getMetadata().getLabels().containsKey("grafana_dashboard")));
    }
}
