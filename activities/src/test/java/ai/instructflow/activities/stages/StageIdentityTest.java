package ai.instructflow.activities.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.instructflow.workflows.Artifact;
import ai.instructflow.workflows.RunSpec;
import ai.instructflow.workflows.RunSpecs;
import ai.instructflow.workflows.Stage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A stage's inputs hash, which decides whether resume and the cache may reuse its outputs, covers
 * every setting that shaped it, the ones nobody sets as much as the ones people do.
 */
class StageIdentityTest {

    private static final List<Artifact> INPUTS = List.of(new Artifact("model", "runs/r/rm/model.ckpt", "abc", 1, 0));

    private static String hash(PipelineStage stage, String spec) throws Exception {
        RunSpec resolved = RunSpecs.resolve(spec);
        return StageRunner.inputsHash(stage.stage(), stage.settings(resolved), INPUTS);
    }

    @Test
    void aHiddenDefaultChangesTheHashOfTheStageItShapesAndOnlyThatStage() throws Exception {
        String plain = "{\"name\": \"x\"}";
        String clipped = "{\"name\": \"x\", \"ppo\": {\"clip\": 0.3}}";
        assertNotEquals(hash(PipelineStages.PPO, plain), hash(PipelineStages.PPO, clipped));
        assertEquals(hash(PipelineStages.SFT, plain), hash(PipelineStages.SFT, clipped));
        assertEquals(hash(PipelineStages.RM, plain), hash(PipelineStages.RM, clipped));

        String decayed = "{\"name\": \"x\", \"sft\": {\"adam\": {\"weight_decay\": 0.0}}}";
        assertNotEquals(hash(PipelineStages.SFT, plain), hash(PipelineStages.SFT, decayed));
        String warmed = "{\"name\": \"x\", \"rm\": {\"warmup_steps\": 5}}";
        assertNotEquals(hash(PipelineStages.RM, plain), hash(PipelineStages.RM, warmed));
    }

    @Test
    void theNameOfARunIsNotASettingOfAnyStage() throws Exception {
        for (PipelineStage stage : PipelineStages.all()) {
            assertEquals(hash(stage, "{\"name\": \"a\"}"), hash(stage, "{\"name\": \"b\"}"), stage.stage().id());
        }
    }

    @Test
    void everyStageHasItsImplementation() {
        for (Stage stage : Stage.values()) {
            assertEquals(stage, PipelineStages.of(stage).stage());
        }
    }
}
