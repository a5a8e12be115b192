package ai.instructflow.activities.labeling;

import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.activities.registry.StageManifest;
import ai.instructflow.activities.stages.Artifacts;
import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.pipeline.Recipe;
import ai.instructflow.trainer.train.Checkpoint;
import ai.instructflow.workflows.Stage;
import ai.instructflow.workflows.StageInput;
import ai.instructflow.workflows.StageSeeds;
import java.util.ArrayList;
import java.util.List;

/**
 * The material a stage's work is made from (a ranking queue's K samples per prompt, the evaluation's
 * answers of both policies), generated in shards: each shard is stored by an activity any model
 * worker may take, made on the spot where none stored it, and the whole is every shard's lines in
 * shard order. The shards live in the stage's labeling folder until the stage succeeds.
 */
public final class GeneratedShards {

    private final LabelStore store;
    private final Artifacts artifacts;
    private final String worker;

    /** @param worker this worker's identity, named in the shards it makes */
    public GeneratedShards(ObjectStore objects, String worker) {
        this.store = new LabelStore(objects);
        this.artifacts = new Artifacts(objects);
        this.worker = worker;
    }

    /** One folder per stage identity: a resume finds its shards, tasks and labels, new inputs start afresh. */
    public static String prefix(String runId, Stage stage, String inputsHash) {
        return RunStore.stagePrefix(runId, stage) + "labeling/" + inputsHash.substring(0, 16) + "/";
    }

    /** What a kind makes its material from, its random stream from the start: every shard draws the same prompts. */
    public TaskSource source(StageInput in, Stage stage, Recipe recipe) {
        return new TaskSource(recipe, StageSeeds.random(in.spec().seed(), stage), () -> policy(in, Stage.SFT, recipe),
                () -> policy(in, in.spec().policyStage(), recipe), in.spec().policyStage());
    }

    /** Shard {@code shard} of {@code count}, made by this worker in its activity's attempt {@code attempt}. */
    public LabelStore.StoredShard make(StageInput in, Stage stage, TaskKind<?> kind, Recipe recipe, int shard, int count,
                                       int attempt) {
        long started = System.nanoTime();
        List<String> lines = kind.generate(source(in, stage, recipe), shard, count);
        return new LabelStore.StoredShard(lines, new StageManifest.Shard(shard, count, worker, attempt,
                (System.nanoTime() - started) / 1e9, lines.size()));
    }

    /** The whole material and who made each shard. */
    public record Assembled(List<String> lines, List<StageManifest.Shard> shards) {}

    /** Every shard's lines, as stored, or made here (in attempt {@code attempt}) where no worker stored one. */
    public Assembled assemble(StageInput in, Stage stage, TaskKind<?> kind, Recipe recipe, String prefix, int attempt) {
        int count = kind.shards(source(in, stage, recipe));
        List<String> lines = new ArrayList<>();
        List<StageManifest.Shard> shards = new ArrayList<>();
        for (int shard = 0; shard < count; shard++) {
            int s = shard;
            LabelStore.StoredShard stored = store.shard(prefix, s, count)
                    .orElseGet(() -> make(in, stage, kind, recipe, s, count, attempt));
            lines.addAll(stored.lines());
            shards.add(stored.made());
        }
        return new Assembled(lines, shards);
    }

    private GPT policy(StageInput in, Stage stage, Recipe recipe) {
        return artifacts.load(in.input(stage).artifact("model"), Checkpoint::read).model("policy/", recipe.device());
    }
}
