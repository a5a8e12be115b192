package ai.instructflow.trainer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.instructflow.trainer.eval.Evaluator;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.model.Sampler;
import ai.instructflow.trainer.suite.LabelerPool;
import ai.instructflow.trainer.suite.Split;
import ai.instructflow.trainer.suite.SuiteConfig;
import ai.instructflow.trainer.suite.TaskSuite;
import ai.instructflow.trainer.tokenizer.ByteTokenizer;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The evaluation's answers, made unit by unit (each policy's chunks) as the platform's shards make
 * them, are the answers made whole, and the verdict on them is the held-out labelers' verdict on
 * the two policies sampling the suite's held-out prompts themselves.
 */
class HeldOutAnsweringTest {

    /** The defaults with seed 5, 3 labelers and {@code prompts} held-out prompts to answer. */
    static PipelineConfig heldOut(int prompts) {
        PipelineConfig d = PipelineConfig.defaults();
        return new PipelineConfig(d.preset(), "cpu", 5, d.demonstrators(), d.demonstrations(), d.comparisonPrompts(),
                d.heldOutComparisons(), d.k(), 3, prompts, d.sft(), d.rm(), d.ppo(), d.dpo());
    }

    @Test
    void answersMadeInUnitsAreTheAnswersMadeWholeAndJudgedAsThePoliciesThemselves() {
        // 300 held-out prompts: two chunks per policy, the last one short; four units
        PipelineConfig config = heldOut(300);
        Recipe recipe = new Recipe(config);
        Recipe.HeldOutPlan plan = recipe.heldOutPlan(new Random(7));
        assertEquals(300, plan.prompts().size());
        assertEquals(2, plan.chunks());
        assertEquals(4, plan.units());
        assertEquals(0, plan.firstUnit(Recipe.Author.TUNED));
        assertEquals(2, plan.firstUnit(Recipe.Author.SFT));
        try (GPT tuned = recipe.baseModel(); GPT sft = tuned.copy(99, GPT.Head.LM)) {
            // units 0..1 the tuned policy's chunks, 2..3 SFT's, made in the order shards of one unit make them
            List<String> units = new ArrayList<>(recipe.answer(tuned, Recipe.Author.TUNED, plan, 0, 1));
            units.addAll(recipe.answer(tuned, Recipe.Author.TUNED, plan, 1, 2));
            units.addAll(recipe.answer(sft, Recipe.Author.SFT, plan, 0, 1));
            units.addAll(recipe.answer(sft, Recipe.Author.SFT, plan, 1, 2));
            Recipe.HeldOutAnswers split = recipe.heldOutAnswers(plan, units);
            Recipe.HeldOutAnswers whole = recipe.heldOutAnswers(tuned, sft, new Random(7));
            assertEquals(whole, split);
            assertNotEquals(whole.ppo(), whole.sft(), "two different models answer differently");

            // the same verdict as the held-out labelers judging the two policies on the suite's own prompts
            double temperature = 0.4;
            Sampler.Config sampling = Sampler.Config.sample(1f, config.ppo().maxNewTokens());
            PromptFormat format = new PromptFormat(new ByteTokenizer());
            Evaluator direct = new Evaluator(new TaskSuite(SuiteConfig.defaults(), 5).sample(Split.HELD_OUT, 300,
                    new Random(7)), LabelerPool.heldOut(3, temperature, 5), 5);
            Evaluator.Comparison expected = direct.compare(new ModelPolicy(tuned, format, sampling, 5 + 11),
                    new ModelPolicy(sft, format, sampling, 5 + 10));
            Evaluator.Comparison judged = recipe.evaluate(split, temperature);
            assertEquals(expected.winRate(), judged.winRate());
            assertEquals(expected.a(), judged.a());
            assertEquals(expected.b(), judged.b());
        }
    }
}
