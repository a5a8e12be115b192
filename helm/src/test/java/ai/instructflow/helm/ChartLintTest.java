package ai.instructflow.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.marcnuri.helm.LintResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Helm's own checks of the chart, and the chart's version against the project's. */
class ChartLintTest {

    @Test
    void lintsStrictlyWithoutErrorsOrWarnings() {
        LintResult lint = Rendered.CHART.lint();
        assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
        // --strict fails on warnings too; INFO lines (an icon is recommended) are advice
        assertEquals(java.util.List.of(), lint.getMessages().stream()
                .filter(m -> m.contains("[WARNING]") || m.contains("[ERROR]")).toList());
    }

    @Test
    void theAppVersionIsTheProjectVersionTheImagesAreTaggedWith() throws Exception {
        String version = System.getProperty("project.version");
        String chart = Files.readString(Path.of("instructflow", "Chart.yaml"));
        assertFalse(version == null || version.isEmpty(), "surefire passes project.version");
        org.junit.jupiter.api.Assertions.assertTrue(chart.contains("appVersion: \"" + version + "\""),
                "Chart.yaml's appVersion is " + version + " (the images' tag): bump it with the project version");
    }
}
