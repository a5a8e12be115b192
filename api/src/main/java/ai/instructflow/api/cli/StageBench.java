package ai.instructflow.api.cli;

import ai.instructflow.activities.registry.RunRecord;
import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.infra.InfraSettings;
import ai.instructflow.trainer.Main;
import ai.instructflow.workflows.RunStatus;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code instructflow stage-bench}: what the platform costs a training stage. A run goes through an
 * embedded platform of its own (free ports, a temporary data folder, deleted at exit); then the trainer
 * alone does its training stages again, in their order, in a fresh process ({@link StageReplayCommand}:
 * the same inputs, settings and random streams, so exactly the same work, with no attempt around it),
 * and one JSON line per stage gives platform seconds, trainer-alone seconds and their ratio. The run's progress
 * is read from its record in the bucket every few seconds rather than through the API, so the bench
 * adds no load of its own while the stages train.
 */
final class StageBench {

    static final String USAGE = """
              stage-bench [--spec JSON]             a run (default: the demo's) on an embedded platform of its own,
                                                    then its training stages again by the trainer alone in a
                                                    fresh process; prints platform s, alone s and their ratio
            """;

    private static final long POLL_MILLIS = 5_000;

    private final String spec;
    private final ApiClient admin;
    private final RunStore runs;
    private final InfraSettings store;
    private final String device;
    private final PrintStream out = System.out;

    private StageBench(String spec, ApiClient admin, RunStore runs, InfraSettings store, String device) {
        this.spec = spec;
        this.admin = admin;
        this.runs = runs;
        this.store = store;
        this.device = device;
    }

    /** Checks the options before a platform starts for them. */
    static void check(List<String> args) {
        of(args, null, null, null, null);
    }

    static StageBench of(List<String> args, ApiClient admin, RunStore runs, InfraSettings store, String device) {
        List<String> rest = new ArrayList<>(args);
        String spec = Main.option(rest, "--spec", "{\"name\": \"stage-bench\"}");
        if (!rest.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + rest);
        }
        try {
            if (!ApiClient.JSON.readTree(spec).isObject()) {
                throw new IllegalArgumentException("--spec must be a JSON object (a run spec), got " + spec);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("--spec must be a JSON object (a run spec): " + e.getOriginalMessage());
        }
        return new StageBench(spec, admin, runs, store, device);
    }

    /** Returns the exit code: 0 when the run succeeded and every replay trained the model its stage stored. */
    int run() throws InterruptedException {
        String id = admin.post("/api/v1/runs", spec).path("id").asText();
        out.println("run " + id + " submitted: " + spec);
        RunRecord record = runs.run(id).orElseThrow();
        while (!RunStatus.ENDED.contains(record.status())) {
            Thread.sleep(POLL_MILLIS);
            record = runs.run(id).orElseThrow();
        }
        if (!RunStatus.SUCCEEDED.equals(record.status())) {
            out.println("run " + id + " " + record.status() + ": " + record.error());
            return 1;
        }
        return alone(id);
    }

    /**
     * The trainer alone, in a fresh process of the same JVM and options that reads the run's inputs
     * from this platform's store ({@link StageReplayCommand}): it starts as cold as this process's worker
     * did when the run's first stage began. Returns its exit code.
     */
    private int alone(String id) throws InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        String classPath = System.getProperty("java.class.path");
        // the packaged app starts through its runner jar, a build's tests from their class path
        command.addAll(classPath.endsWith(".jar") && !classPath.contains(File.pathSeparator)
                ? List.of("-jar", classPath) : List.of("-cp", classPath, Launcher.class.getName()));
        List<String> replay = List.of("stage-replay", id, "--device", device);
        command.addAll(replay);
        ProcessBuilder child = new ProcessBuilder(command).inheritIO();
        child.environment().putAll(store.storeVariables());
        out.println("the trainer alone, in a fresh process: " + String.join(" ", replay));
        try {
            return child.start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
