package ai.instructflow.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The chart README's values reference names every key of values.yaml (a map of resources counts as one key). */
class ValuesReferenceTest {

    @Test
    void everyValueIsInTheReference() throws Exception {
        JsonNode values = StrictYaml.LENIENT.readTree(Path.of("instructflow", "values.yaml").toFile());
        String readme = Files.readString(Path.of("instructflow", "README.md"));
        List<String> keys = new ArrayList<>();
        collect("", values, keys);
        assertEquals(List.of(), keys.stream().filter(k -> !readme.contains("| `" + k + "` |")).toList(),
                "keys of values.yaml missing from helm/instructflow/README.md");
    }

    private static void collect(String prefix, JsonNode node, List<String> out) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String key = prefix + e.getKey();
            if (e.getValue().isObject() && !e.getValue().isEmpty() && !e.getKey().equals("resources")) {
                collect(key + ".", e.getValue(), out);
            } else {
                out.add(key);
            }
        }
    }
}
