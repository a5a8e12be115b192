package ai.instructflow.activities.stages;

import ai.instructflow.activities.TrainerSettings;
import ai.instructflow.activities.labeling.Collected;
import ai.instructflow.activities.labeling.LabelStore;
import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.pipeline.Recipe;
import ai.instructflow.trainer.train.Checkpoint;
import ai.instructflow.trainer.train.Comparison;
import ai.instructflow.trainer.train.Demonstration;
import ai.instructflow.workflows.Artifact;
import ai.instructflow.workflows.Stage;
import ai.instructflow.workflows.StageInput;
import ai.instructflow.workflows.StageResult;
import ai.instructflow.workflows.StageSeeds;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * What a stage's own work gets: its attempt (listener, checkpoints, artifacts), its input, the
 * trainer's recipe on this worker's device, and the reads and writes stages share.
 */
public final class StageWork {

    private static final String CHECKPOINT = "application/octet-stream";
    private static final String JSONL = "application/x-ndjson";

    private final StageAttempt attempt;
    private final StageInput in;
    private final Stage stage;
    private final RunStore runs;
    private final Artifacts artifacts;
    private final Recipe recipe;

    StageWork(StageAttempt attempt, StageInput in, Stage stage, RunStore runs, String device) {
        this.attempt = attempt;
        this.in = in;
        this.stage = stage;
        this.runs = runs;
        this.artifacts = new Artifacts(runs.objects());
        this.recipe = TrainerSettings.recipe(in.spec(), device, runs.objects());
    }

    /** A stage's work outside any attempt, for the trainer alone ({@link StageReplay}): it reads, and has no attempt. */
    static StageWork outsideAttempt(StageInput in, Stage stage, RunStore runs, String device) {
        return new StageWork(null, in, stage, runs, device);
    }

    public StageAttempt attempt() {
        if (attempt == null) {
            throw new IllegalStateException("stage " + stage.id() + " is replayed outside an attempt");
        }
        return attempt;
    }

    public StageInput in() {
        return in;
    }

    public Recipe recipe() {
        return recipe;
    }

    public RunStore runs() {
        return runs;
    }

    public Artifacts artifacts() {
        return artifacts;
    }

    /** This stage's generator ({@link StageSeeds}): a retried or resumed stage draws exactly what the first try drew. */
    public Random random() {
        return StageSeeds.random(in.spec().seed(), stage);
    }

    /** The key of one of this stage's outputs. */
    public String key(String file) {
        return RunStore.stagePrefix(in.runId(), stage) + file;
    }

    /** The labels the stage's queue counted. */
    public Collected collected() {
        if (in.labeling() == null) {
            throw new IllegalStateException("stage has neither a dataset to import nor a labeling queue's labels");
        }
        return Collected.read(new LabelStore(runs.objects()), in.labeling());
    }

    /** An object the spec names by key, which the user put there: bad input, not a platform fault, when missing. */
    public <T> T userObject(String field, String key, ObjectStore.Reader<T> reader) {
        return userObject(runs.objects(), field, key, reader);
    }

    /** {@link #userObject(String, String, ObjectStore.Reader)} for callers without a stage's work. */
    public static <T> T userObject(ObjectStore objects, String field, String key, ObjectStore.Reader<T> reader) {
        try {
            return objects.read(key, reader);
        } catch (ObjectStore.NotFound e) {
            throw new IllegalArgumentException(field + ": no object '" + key + "' in bucket " + objects.bucket());
        }
    }

    /** A model an earlier stage wrote, verified against its sha256. */
    public GPT model(Stage from, String prefix) {
        return artifacts().load(in.input(from).artifact("model"), Checkpoint::read).model(prefix, recipe.device());
    }

    public Artifact saveModel(String prefix, GPT model) {
        return artifacts().save("model", key("model.ckpt"), 0, out -> modelCheckpoint(prefix, model).write(out), CHECKPOINT);
    }

    /** The sha256 of what {@link #saveModel} would write for {@code model}, without writing it. */
    public String modelSha256(String prefix, GPT model) {
        MessageDigest sha256 = ObjectStore.sha256Digest();
        try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), sha256)) {
            modelCheckpoint(prefix, model).write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private Checkpoint modelCheckpoint(String prefix, GPT model) {
        return new Checkpoint().put("stage", stage.id()).putModel(prefix, model);
    }

    /** A dataset this stage writes, as JSON lines beside its other artifacts. */
    public Artifact saveLines(String name, long count, ObjectStore.Writer writer) {
        return artifacts().save(name, key(name + ".jsonl"), count, writer, JSONL);
    }

    public List<Demonstration> demonstrations(String name) {
        return artifacts().load(in.input(Stage.COLLECT_DEMONSTRATIONS).artifact(name),
                data -> Datasets.readDemonstrations(data, recipe.format(), Datasets.Origin.STAGE));
    }

    public List<Comparison> rankings(String name) {
        return artifacts().load(in.input(Stage.COLLECT_COMPARISONS).artifact(name),
                data -> Datasets.readComparisons(data, recipe.format(), Datasets.Origin.STAGE));
    }

    /** The comparisons to train on and to measure on, with what was measured of the labelers who ranked them. */
    public Recipe.Rankings rankings() {
        LabelerCalibration calibration = calibration();
        return new Recipe.Rankings(rankings("train"), rankings("held_out"), calibration.labelerTemperature(),
                calibration.agreementOrNaN());
    }

    /** What the comparisons stage measured about its labelers, for the stages that judge with simulated ones. */
    public LabelerCalibration calibration() {
        StageResult comparisons = in.input(Stage.COLLECT_COMPARISONS);
        return artifacts().load(comparisons.artifact(LabelerCalibration.ARTIFACT), LabelerCalibration::read);
    }
}
