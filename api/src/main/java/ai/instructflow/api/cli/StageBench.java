package ai.instructflow.api.cli;

import ai.instructflow.activities.registry.RunRecord;
import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.activities.stages.PipelineStages;
import ai.instructflow.activities.stages.StageReplay;
import ai.instructflow.activities.stages.TrainingStage;
import ai.instructflow.trainer.Main;
import ai.instructflow.workflows.RunSpec;
import ai.instructflow.workflows.RunStatus;
import ai.instructflow.workflows.Stage;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code instructflow stage-bench}: what the platform costs a training stage. A run goes through an
 * embedded platform of its own (free ports, a temporary data folder, deleted at exit); then each of its
 * training stages is done again by the trainer alone in this process ({@link StageReplay}: the same
 * inputs, settings and random streams, so exactly the same work, with no attempt around it), and one
 * JSON line per stage gives platform seconds, trainer-alone seconds and their ratio. The run's progress
 * is read from its record in the bucket every few seconds rather than through the API, so the bench
 * adds no load of its own while the stages train.
 */
final class StageBench {

    static final String USAGE = """
              stage-bench [--spec JSON]             a run (default: the demo's) on an embedded platform of its own,
                                                    then each training stage again by the trainer alone on the
                                                    same inputs; prints platform s, alone s and their ratio
            """;

    private static final long POLL_MILLIS = 5_000;

    private final String spec;
    private final ApiClient admin;
    private final RunStore runs;
    private final String device;
    private final PrintStream out = System.out;

    private StageBench(String spec, ApiClient admin, RunStore runs, String device) {
        this.spec = spec;
        this.admin = admin;
        this.runs = runs;
        this.device = device;
    }

    /** Checks the options before a platform starts for them. */
    static void check(List<String> args) {
        of(args, null, null, null);
    }

    static StageBench of(List<String> args, ApiClient admin, RunStore runs, String device) {
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
        return new StageBench(spec, admin, runs, device);
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
        RunSpec resolved = runs.spec(id).orElseThrow();
        boolean same = true;
        for (Stage stage : resolved.stages()) {
            if (PipelineStages.of(stage) instanceof TrainingStage<?>) {
                StageReplay.Timing timing = StageReplay.replay(runs, id, stage, device);
                print(timing);
                same &= timing.sameModel();
            }
        }
        return same ? 0 : 1;
    }

    private void print(StageReplay.Timing t) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("stage", t.stage().id());
        row.put("platform_s", round(t.platformSeconds()));
        row.put("alone_s", round(t.aloneSeconds()));
        row.put("ratio", Math.round(t.ratio() * 1000) / 1000.0);
        row.put("same_model", t.sameModel());
        try {
            out.println(ApiClient.JSON.writeValueAsString(row));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double round(double seconds) {
        return Math.round(seconds * 10) / 10.0;
    }
}
