package ai.instructflow.trainer.pipeline;

import ai.instructflow.trainer.train.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Progress for a person at a terminal: a line every {@code every} steps and at the last one. */
final class ConsoleListener implements TrainingListener {

    private final PrintStream out;
    private final int every;

    ConsoleListener(PrintStream out, int every) {
        this.out = out;
        this.every = every;
    }

    @Override
    public void onStep(String stage, long step, long total, Map<String, Double> metrics) {
        if (step % every == 0 || step == total) {
            out.printf(Locale.ROOT, "[%s] %d/%d %s%n", stage, step, total, format(metrics));
        }
    }

    static String format(Map<String, Double> metrics) {
        return metrics.entrySet().stream()
                .map(e -> e.getKey() + "=" + String.format(Locale.ROOT, "%.4g", e.getValue()))
                .collect(Collectors.joining(" "));
    }
}
