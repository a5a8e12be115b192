package ai.instructflow.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;

/** The chart tests' reading is strict: a field Kubernetes does not know, at any depth, fails. */
class StrictYamlTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: x}
            spec:
              template:
                spec:
                  containers:
                    - name: c
                      image: i
                      %s
            """;

    @Test
    void aKnownFieldReads() {
        Deployment d = StrictYaml.MAPPER.readValue(DEPLOYMENT.formatted("readinessProbe: {httpGet: {path: /q/health/ready, port: 8080}}"),
                Deployment.class);
        assertEquals("/q/health/ready", d.getSpec().getTemplate().getSpec().getContainers().get(0).getReadinessProbe()
                .getHttpGet().getPath());
    }

    @Test
    void aTypoDeepInsideFailsNamingTheField() {
        JacksonException e = assertThrows(JacksonException.class, () -> StrictYaml.MAPPER.readValue(
                DEPLOYMENT.formatted("readinessProbe: {httpget: {path: /q/health/ready, port: 8080}}"), Deployment.class));
        assertTrue(e.getMessage().contains("httpget"), e.getMessage());
        // fabric8 alone would have kept it in additionalProperties
        Deployment lenient = StrictYaml.LENIENT.readValue(
                DEPLOYMENT.formatted("readinessProbe: {httpget: {path: /q/health/ready, port: 8080}}"), Deployment.class);
        assertTrue(lenient.getSpec().getTemplate().getSpec().getContainers().get(0).getReadinessProbe()
                .getAdditionalProperties().containsKey("httpget"));
    }
}
