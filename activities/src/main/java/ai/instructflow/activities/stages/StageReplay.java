package ai.instructflow.activities.stages;

import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.activities.registry.StageManifest;
import ai.instructflow.trainer.train.TrainingListener;
import ai.instructflow.workflows.Artifact;
import ai.instructflow.workflows.RunSpec;
import ai.instructflow.workflows.RunStatus;
import ai.instructflow.workflows.Stage;
import ai.instructflow.workflows.StageInput;
import ai.instructflow.workflows.StageResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A finished run's training stage done again by the trainer alone: the same recipe, inputs, settings
 * and random streams as the stage's attempt, on the calling thread, with nothing around it (no
 * heartbeats, progress signals, gauges, checkpoints or outputs written). A stage repeats itself bit
 * for bit, so the replay does exactly the work the stage did, and the two times measure what the
 * platform costs a stage.
 */
public final class StageReplay {

    /**
     * One stage: its attempt's seconds on the platform (inputs read, outputs written), the trainer's
     * alone (inputs read), and whether the replay trained exactly the model the stage stored.
     */
    public record Timing(Stage stage, double platformSeconds, double aloneSeconds, boolean sameModel) {

        /** The platform's throughput as a share of the trainer's alone: 1 when it costs nothing. */
        public double ratio() {
            return aloneSeconds / platformSeconds;
        }
    }

    private StageReplay() {}

    /**
     * Replays {@code stage} of {@code runId} on {@code device}. Refused for a stage that is not a
     * training stage, did not succeed, was reused from another run or resumed part-way, since then
     * no one attempt did the whole work.
     */
    public static Timing replay(RunStore runs, String runId, Stage stage, String device) {
        if (!(PipelineStages.of(stage) instanceof TrainingStage<?> training)) {
            throw new IllegalArgumentException(stage.id() + " is not a training stage");
        }
        RunSpec spec = runs.spec(runId).orElseThrow(() -> new IllegalArgumentException("no run " + runId));
        StageManifest manifest = runs.stage(runId, stage)
                .orElseThrow(() -> new IllegalArgumentException("run " + runId + " has no stage " + stage.id()));
        StageManifest.Attempt attempt = manifest.attempts.isEmpty() ? null : manifest.lastAttempt();
        if (!RunStatus.SUCCEEDED.equals(manifest.status) || manifest.reusedFrom != null || attempt == null
                || attempt.resumedFromStep > 0 || attempt.seconds == null) {
            throw new IllegalArgumentException("stage " + stage.id() + " of run " + runId
                    + " was not trained whole by one attempt: nothing to compare with");
        }
        Map<String, StageResult> inputs = new LinkedHashMap<>();
        for (Stage earlier : Stage.values()) {
            runs.stage(runId, earlier).filter(m -> RunStatus.SUCCEEDED.equals(m.status))
                    .ifPresent(m -> inputs.put(earlier.id(), new StageResult(earlier.id(), m.artifacts, m.metrics, null)));
        }
        StageWork work = StageWork.outsideAttempt(new StageInput(runId, spec, inputs, null), stage, runs, device);
        long began = System.nanoTime();
        long[] trained = new long[1];
        String sha256 = training.train(work, null, TrainingListener.NONE, (result, model) -> {
            trained[0] = System.nanoTime();
            return work.modelSha256(training.prefix(), model);
        });
        String stored = manifest.artifacts.stream().filter(a -> a.name().equals("model")).findFirst()
                .map(Artifact::sha256).orElse(null);
        return new Timing(stage, attempt.seconds, (trained[0] - began) / 1e9, sha256.equals(stored));
    }
}
