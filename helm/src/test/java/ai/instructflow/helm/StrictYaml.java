package ai.instructflow.helm;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads YAML into fabric8's Kubernetes types so that a field Kubernetes does not know fails the test. Setting
 * FAIL_ON_UNKNOWN_PROPERTIES is not enough with fabric8: each of its types keeps unknown fields in an
 * {@code additionalProperties} map (a {@code @JsonAnySetter}), so this mapper also ignores every any-setter. A
 * typo'd field ({@code tolerationz:}, a probe's {@code httpget:}) is then an error naming it, where Kubernetes
 * would have dropped it silently at install.
 */
final class StrictYaml {

    static final YAMLMapper MAPPER = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(MapperConfig<?> config, Annotated a) {
                    return Boolean.FALSE;
                }
            })
            .build();

    /** For the kinds without a fabric8 type (KEDA's, Prometheus-operator's): fields as they are. */
    static final YAMLMapper LENIENT = YAMLMapper.builder().build();

    private StrictYaml() {}
}
