package ai.instructflow.trainer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.optim.AdamWConfig;
import ai.instructflow.trainer.sft.SftConfig;
import ai.instructflow.trainer.sft.SftTrainer;
import ai.instructflow.trainer.train.Fixtures;
import ai.instructflow.trainer.train.TrainingListener;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The KL to SFT the evaluation reports for PPO and DPO alike: none for a policy against its own copy,
 * and clearly some for a policy fine-tuned away from its start, whose own answers it finds far
 * likelier than the start does.
 */
class KlToSftTest {

    @Test
    void noneToItsCopyAndSomeOnceFineTuned() {
        Recipe recipe = new Recipe(HeldOutAnsweringTest.heldOut(64));
        try (GPT start = recipe.baseModel(); GPT tuned = start.copy(1, GPT.Head.LM)) {
            Recipe.HeldOutAnswers unchanged = recipe.heldOutAnswers(tuned, start, new Random(3));
            assertEquals(0.0, recipe.klToSft(unchanged, tuned, start), 0.0);

            new SftTrainer(new SftConfig(40, 16, 3e-3f, 4, 0.1f, AdamWConfig.defaults(), 0, 0, 9),
                    Fixtures.FORMAT.tokenizer().pad()).train(tuned, Fixtures.demonstrations(128, 5), List.of(), null,
                    TrainingListener.NONE);
            double kl = recipe.klToSft(recipe.heldOutAnswers(tuned, start, new Random(3)), tuned, start);
            assertTrue(kl > 10, "KL of the fine-tuned policy to its start: " + kl + " nats per answer");
        }
    }
}
