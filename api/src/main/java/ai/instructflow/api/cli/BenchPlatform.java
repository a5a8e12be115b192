package ai.instructflow.api.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * What the benchmarks share: a platform of their own and how they read latencies.
 */
final class BenchPlatform {

    private BenchPlatform() {}

    /**
     * Gives the platform about to start free ports and a fresh data folder, deleted at exit, with Temporal
     * and S3 embedded whatever the environment says: a bench writes thousands of objects and runs beside a
     * serving platform without touching it.
     */
    static void isolate(String bench) throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            System.setProperty("quarkus.http.port", Integer.toString(free.getLocalPort()));
        }
        System.setProperty("instructflow.s3.endpoint", "embedded");
        System.setProperty("instructflow.temporal.target", "embedded");
        System.setProperty("instructflow.temporal.port", "0");
        System.setProperty("instructflow.s3.port", "0");
        System.setProperty("instructflow.metrics-port", "0");
        Path data = Files.createTempDirectory("instructflow-" + bench);
        System.setProperty("instructflow.data-dir", data.toString());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (var paths = Files.walk(data)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // a temporary folder: the system cleans it up in the end
            }
        }));
    }

    /** The p-th percentile of these durations in nanoseconds, in milliseconds (nearest rank; 100: the largest; none: NaN). */
    static double percentileMs(List<Long> nanos, double p) {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1))) / 1e6;
    }

    /** A whole-number option, or {@code fallback} when it is not given. */
    static int number(List<String> args, String option, int fallback) {
        String text = ai.instructflow.trainer.Main.option(args, option, Integer.toString(fallback));
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, got '" + text + "'");
        }
    }
}
