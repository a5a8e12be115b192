package ai.instructflow.trainer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.instructflow.trainer.model.GPT;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Step 2's K samples per prompt, split along chunks as the platform's shards split them, come out as they do whole. */
class ComparisonSamplingTest {

    @Test
    void samplesMadeChunkRangeByChunkRangeAreTheSamplesMadeWhole() {
        PipelineConfig d = PipelineConfig.defaults();
        // 130 prompts x K=4: 520 rows, three chunks, the last one short
        Recipe recipe = new Recipe(new PipelineConfig(d.preset(), "cpu", 5, d.demonstrators(), d.demonstrations(), 100, 30,
                4, d.labelers(), d.evalPrompts(), d.sft(), d.rm(), d.ppo(), d.dpo()));
        Recipe.ComparisonPlan plan = recipe.comparisonPlan(new Random(7));
        assertEquals(520, plan.rows().size());
        assertEquals(3, plan.chunks());
        try (GPT sft = recipe.baseModel()) {
            // one random stream running on from chunk to chunk would make the later chunks differ here
            List<String> whole = recipe.sample(sft, plan, 0, 3);
            List<String> split = new ArrayList<>(recipe.sample(sft, plan, 2, 3));
            split.addAll(0, recipe.sample(sft, plan, 0, 2));
            assertEquals(whole, split);
            assertEquals(520, whole.size());

            Recipe.Samples samples = recipe.comparisonSamples(plan, whole);
            assertEquals(plan.prompts(), samples.prompts());
            assertEquals(100, samples.train().size());
            assertEquals(whole.subList(0, 4), samples.train().get(0));
            assertEquals(whole.subList(516, 520), samples.heldOut().get(29));
            // the one-process recipe is the same plan sampled whole
            assertEquals(samples, recipe.comparisonSamples(sft, new Random(7)));
        }
    }
}
