package ai.instructflow.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The chart rendered with some values, every object read strictly ({@link StrictYaml}) into its Kubernetes type,
 * and the lookups the tests ask for. A kind the chart renders that is not in {@link #TYPES} fails here, so a new
 * template comes with a type to check it against.
 */
record Rendered(String yaml, List<HasMetadata> objects) {

    /** The chart in this module (surefire runs in the module's folder). */
    static final Chart CHART = new Chart(Path.of("instructflow"));
    static final Path PRODUCTION = CHART.dir().resolve("values-production.yaml");

    /** apiVersion/kind of every object the chart may render, and the type it must read into. */
    private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.ofEntries(
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            // no fabric8 8 types for these (openshift-model-monitoring stops at 7.x, KEDA has none): their
            // content is asserted field by field in the tests
            Map.entry("keda.sh/v1alpha1/ScaledObject", GenericKubernetesResource.class),
            Map.entry("keda.sh/v1alpha1/TriggerAuthentication", GenericKubernetesResource.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", GenericKubernetesResource.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", GenericKubernetesResource.class));

    static Rendered of(List<Path> valuesFiles, Map<String, String> sets) {
        String yaml = CHART.template(Chart.DEFAULT_RELEASE, "instructflow", valuesFiles, sets);
        List<HasMetadata> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = StrictYaml.LENIENT.readerFor(JsonNode.class).readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isEmpty()) {
                    continue;
                }
                String type = doc.path("apiVersion").asString() + "/" + doc.path("kind").asString();
                Class<? extends HasMetadata> cls = TYPES.get(type);
                assertTrue(cls != null, "the chart renders " + type + ", which the tests have no type for");
                YAMLMapper mapper = cls == GenericKubernetesResource.class ? StrictYaml.LENIENT : StrictYaml.MAPPER;
                try {
                    objects.add(mapper.treeToValue(doc, cls));
                } catch (JacksonException e) {
                    throw new AssertionError(type + " " + doc.path("metadata").path("name").asString()
                            + " is not a valid " + cls.getSimpleName() + ": " + e.getMessage(), e);
                }
            }
        }
        return new Rendered(yaml, objects);
    }

    /**
     * Rendered with these values (YAML) over the defaults. A values file, not --set: Helm's --set on a list index
     * (workers[0].replicas) replaces the whole list, so pools are only ever given whole, as users give them.
     */
    static Rendered with(String valuesYaml) {
        return of(List.of(valuesFile(valuesYaml)), Map.of());
    }

    static Path valuesFile(String valuesYaml) {
        try {
            Path file = Files.createTempFile("instructflow-values-", ".yaml");
            file.toFile().deleteOnExit();
            return Files.writeString(file, valuesYaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Rendered defaults() {
        return of(List.of(), Map.of());
    }

    static Rendered production() {
        return of(List.of(PRODUCTION), Map.of());
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<GenericKubernetesResource> all(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(o -> o.getKind().equals(kind)).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    <T extends HasMetadata> T get(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name
                + " among " + objects.stream().map(o -> o.getKind() + " " + o.getMetadata().getName()).toList()));
    }

    Deployment worker(String pool) {
        return get(Deployment.class, "instructflow-worker-" + pool);
    }

    Deployment api() {
        return get(Deployment.class, "instructflow-api");
    }

    static Container container(Deployment deployment) {
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        assertEquals(1, containers.size(), deployment.getMetadata().getName() + " has one container");
        return containers.get(0);
    }

    /**
     * The environment a Deployment's container sees, as names to plain values: the ConfigMap of its envFrom first,
     * then its own env; a value from a Secret shows as {@code secret:NAME/KEY}.
     */
    Map<String, String> environment(Deployment deployment) {
        Container c = container(deployment);
        Map<String, String> env = new LinkedHashMap<>();
        c.getEnvFrom().forEach(from -> {
            assertTrue(from.getSecretRef() == null, "no envFrom a Secret: every secret value is named, by reference");
            env.putAll(get(ConfigMap.class, from.getConfigMapRef().getName()).getData());
        });
        for (EnvVar var : c.getEnv()) {
            if (var.getValueFrom() == null) {
                env.put(var.getName(), var.getValue());
            } else if (var.getValueFrom().getSecretKeyRef() != null) {
                env.put(var.getName(), "secret:" + var.getValueFrom().getSecretKeyRef().getName() + "/"
                        + var.getValueFrom().getSecretKeyRef().getKey());
            } else {
                throw new AssertionError(var.getName() + " comes from something other than a value or a Secret: " + var);
            }
        }
        return env;
    }
}
