package ai.instructflow.helm;

import com.marcnuri.helm.LintResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./instructflow helm template|lint}: the chart rendered or linted without a helm binary, for people who
 * have none (the output goes to {@code kubectl apply -f -} or into a GitOps repository). The options are
 * {@code helm template}'s own, the few that matter here.
 */
public final class HelmMain {

    static final String USAGE = """
            usage: instructflow helm <command> [options]
              template [-f VALUES.yaml]... [--set key=value]... [--name RELEASE] [--namespace NS]
                        [--kube-version 1.30.0]
                        render the chart (helm/instructflow) to stdout, as `helm template` does
              lint      `helm lint --strict` on the chart
            """;

    private HelmMain() {}

    public static void main(String[] args) {
        try {
            System.exit(run(List.of(args)));
        } catch (IllegalArgumentException e) {
            System.err.print("error: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
        } catch (IllegalStateException e) {
            // Helm's own message: a template error, or a value the schema refuses
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }

    static int run(List<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("no command");
        }
        // the launcher script runs from the repository root; -Dinstructflow.chart points elsewhere
        Chart chart = new Chart(Path.of(System.getProperty("instructflow.chart", "helm/instructflow")));
        List<String> rest = args.subList(1, args.size());
        switch (args.get(0)) {
            case "template" -> {
                System.out.print(template(chart, rest));
                return 0;
            }
            case "lint" -> {
                if (!rest.isEmpty()) {
                    throw new IllegalArgumentException("lint takes no options, got " + rest);
                }
                LintResult result = chart.lint();
                result.getMessages().forEach(System.out::println);
                return result.isFailed() ? 1 : 0;
            }
            default -> throw new IllegalArgumentException("unknown command '" + args.get(0) + "'");
        }
    }

    static String template(Chart chart, List<String> args) {
        List<Path> values = new ArrayList<>();
        Map<String, String> sets = new LinkedHashMap<>();
        String release = Chart.DEFAULT_RELEASE;
        String namespace = "default";
        String kubeVersion = Chart.DEFAULT_KUBE_VERSION;
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(option.startsWith("-") ? option + " needs a value" : "unexpected '" + option + "'");
            }
            String value = args.get(++i);
            switch (option) {
                case "-f", "--values" -> {
                    Path file = Path.of(value);
                    if (!Files.isRegularFile(file)) {
                        throw new IllegalArgumentException("no values file " + file);
                    }
                    values.add(file.toAbsolutePath());
                }
                case "--set" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--set takes key=value, got '" + value + "'");
                    }
                    sets.put(value.substring(0, eq), value.substring(eq + 1));
                }
                case "--name" -> release = value;
                case "--namespace", "-n" -> namespace = value;
                case "--kube-version" -> kubeVersion = value;
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        return chart.template(release, namespace, kubeVersion, values, sets);
    }
}
