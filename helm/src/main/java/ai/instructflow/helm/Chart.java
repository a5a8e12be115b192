package ai.instructflow.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The InstructFlow chart ({@code helm/instructflow}) driven through helm-java: Go's Helm in this JVM through JNA,
 * so neither {@code ./instructflow helm} nor the chart tests need a helm binary. Rendering is Helm's own
 * ({@code helm template}: values files, {@code --set}, the schema check), so what renders here installs the same.
 */
public final class Chart {

    /** The release name objects are named after when none is given, as in the chart's README. */
    public static final String DEFAULT_RELEASE = "instructflow";
    /**
     * The Kubernetes version rendering assumes ({@code .Capabilities.KubeVersion}) when none is given: helm-java's
     * own default is 1.20, older than the chart's kubeVersion allows.
     */
    public static final String DEFAULT_KUBE_VERSION = "1.30.0";

    private final Path dir;

    public Chart(Path dir) {
        if (!Files.isRegularFile(dir.resolve("Chart.yaml"))) {
            throw new IllegalArgumentException("no chart at " + dir + " (Chart.yaml missing)");
        }
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /**
     * {@code helm template}: the rendered manifests, as one YAML stream. Values files apply in order, then the
     * {@code --set} pairs (Helm's syntax: {@code workers[0].replicas=3}). Helm's errors, a value the schema
     * refuses among them, come as an {@link IllegalStateException} with its message.
     */
    public String template(String release, String namespace, List<Path> valuesFiles, Map<String, String> sets) {
        return template(release, namespace, DEFAULT_KUBE_VERSION, valuesFiles, sets);
    }

    public String template(String release, String namespace, String kubeVersion, List<Path> valuesFiles,
                           Map<String, String> sets) {
        TemplateCommand template = new Helm(dir).template().withName(release).withNamespace(namespace)
                .withKubeVersion(kubeVersion);
        for (Path file : valuesFiles) {
            template.withValuesFile(file);
        }
        sets.forEach(template::set);
        return template.call();
    }

    /**
     * {@code helm lint --strict} on the chart with its own values (helm-java's lint takes no values files: render
     * with them to check them against the schema).
     */
    public LintResult lint() {
        return new Helm(dir).lint().strict().call();
    }
}
