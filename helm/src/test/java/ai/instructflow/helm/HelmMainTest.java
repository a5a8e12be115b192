package ai.instructflow.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ./instructflow helm template}'s options, as `helm template` takes them. */
class HelmMainTest {

    @Test
    void rendersWithValuesFilesAndSetsInOrder() {
        String yaml = HelmMain.template(Rendered.CHART, List.of("-f", Rendered.PRODUCTION.toString(),
                "--set", "api.replicas=5", "--name", "prod", "--namespace", "ml"));
        assertTrue(yaml.contains("name: prod-instructflow-api"), "objects named after the release");
        assertTrue(yaml.contains("replicas: 5"), "--set wins over the values file");
        assertTrue(yaml.contains("registry.example.com/instructflow/instructflow-api:"), "the values file applies");
    }

    @Test
    void refusesWhatItDoesNotKnow() {
        assertEquals("unknown option '--api-versions'", assertThrows(IllegalArgumentException.class,
                () -> HelmMain.template(Rendered.CHART, List.of("--api-versions", "x"))).getMessage());
        assertEquals("--set takes key=value, got 'api.replicas'", assertThrows(IllegalArgumentException.class,
                () -> HelmMain.template(Rendered.CHART, List.of("--set", "api.replicas"))).getMessage());
        assertEquals("-f needs a value", assertThrows(IllegalArgumentException.class,
                () -> HelmMain.template(Rendered.CHART, List.of("-f"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> HelmMain.template(Rendered.CHART, List.of("-f", Path.of("no-such.yaml").toString()))).getMessage()
                .startsWith("no values file"));
    }
}
