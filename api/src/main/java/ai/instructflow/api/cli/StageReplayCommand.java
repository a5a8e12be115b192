package ai.instructflow.api.cli;

import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.activities.stages.PipelineStages;
import ai.instructflow.activities.stages.StageReplay;
import ai.instructflow.activities.stages.TrainingStage;
import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.activities.storage.StorageConfig;
import ai.instructflow.infra.InfraSettings;
import ai.instructflow.trainer.Main;
import ai.instructflow.trainer.model.Devices;
import ai.instructflow.workflows.RunSpec;
import ai.instructflow.workflows.Stage;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code instructflow stage-replay RUN_ID}: the trainer alone does a finished run's training stages
 * again, in their order, in this process ({@link StageReplay}), reading their inputs from a running
 * platform's store (INSTRUCTFLOW_S3_ENDPOINT and its keys), and prints one JSON line per stage with the
 * stage's seconds on the platform, the trainer's alone and their ratio. {@code stage-bench} runs it in
 * a fresh process, so that the trainer alone starts as cold as the platform's worker did: a process's
 * first stage also pays for the JIT compiling the code it runs, and a replay in the process that has
 * just run the stages would not.
 */
final class StageReplayCommand {

    static final String USAGE = """
              stage-replay RUN_ID [--device D]      the trainer alone does a finished run's training stages again on its
                                                    inputs (INSTRUCTFLOW_S3_ENDPOINT: the platform's store); prints
                                                    platform s, alone s and their ratio per stage
            """;

    private StageReplayCommand() {}

    static int run(List<String> args) {
        return run(args, InfraSettings.fromEnvironment());
    }

    /** Returns the exit code: 0 when every replay trained exactly the model its stage stored. */
    static int run(List<String> args, InfraSettings infra) {
        List<String> rest = new ArrayList<>(args);
        String device = Main.option(rest, "--device", "cpu");
        Devices.parse(device);
        if (rest.size() != 1 || rest.get(0).startsWith("--")) {
            throw new IllegalArgumentException("stage-replay takes one run id" + (rest.isEmpty() ? "" : ", got " + rest));
        }
        if (infra.embeddedS3()) {
            throw new IllegalArgumentException("stage-replay reads a running platform's store: set INSTRUCTFLOW_S3_ENDPOINT "
                    + "(a platform started with 'instructflow serve' prints it)");
        }
        String id = rest.get(0);
        RunStore runs = new RunStore(new ObjectStore(StorageConfig.from(infra)));
        RunSpec spec = runs.spec(id).orElseThrow(() -> new IllegalArgumentException("no run " + id + " in " + infra.s3Endpoint()));
        boolean same = true;
        for (Stage stage : spec.stages()) {
            if (PipelineStages.of(stage) instanceof TrainingStage<?>) {
                StageReplay.Timing timing = StageReplay.replay(runs, id, stage, device);
                System.out.println(row(timing));
                same &= timing.sameModel();
            }
        }
        return same ? 0 : 1;
    }

    private static String row(StageReplay.Timing t) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("stage", t.stage().id());
        row.put("platform_s", round(t.platformSeconds()));
        row.put("alone_s", round(t.aloneSeconds()));
        row.put("ratio", Math.round(t.ratio() * 1000) / 1000.0);
        row.put("same_model", t.sameModel());
        try {
            return ApiClient.JSON.writeValueAsString(row);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double round(double seconds) {
        return Math.round(seconds * 10) / 10.0;
    }
}
