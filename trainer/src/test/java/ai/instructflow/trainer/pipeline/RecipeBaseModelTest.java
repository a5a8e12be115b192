package ai.instructflow.trainer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.instructflow.trainer.hf.Gpt2Export;
import ai.instructflow.trainer.hf.UnsupportedCheckpointException;
import ai.instructflow.trainer.model.Architecture;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.model.GPTConfig;
import ai.instructflow.trainer.optim.AdamWConfig;
import ai.instructflow.trainer.sft.SftConfig;
import ai.instructflow.trainer.sft.SftTrainer;
import ai.instructflow.trainer.tokenizer.Gpt2BpeTokenizer;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import ai.instructflow.trainer.tokenizer.ToyBpe;
import ai.instructflow.trainer.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A run can start from a Hugging Face GPT-2 folder: its weights, its BPE tokenizer, its context. */
class RecipeBaseModelTest {

    static final Path DIR = Path.of("target/recipe-base-model");

    @Test
    void sftFineTunesTheFoldersModelOnTheSuiteThroughItsTokenizer() throws Exception {
        Gpt2BpeTokenizer bpe = ToyBpe.tokenizer();
        GPTConfig shape = new GPTConfig(bpe.vocabSize(), 32, 2, 4, 128, 0f, Architecture.gpt2(1e-5f));
        try (GPT pretrained = GPT.create(shape, Device.cpu(), 9, GPT.Head.LM)) {
            Gpt2Export.policy(pretrained, bpe, DIR);
        }
        PipelineConfig d = PipelineConfig.defaults();
        PipelineConfig config = new PipelineConfig(d.preset(), "cpu", 1, d.demonstrators(), 16, d.comparisonPrompts(),
                d.heldOutComparisons(), d.k(), d.labelers(), d.evalPrompts(),
                new SftConfig(3, 4, 1e-3f, 1, 0.1f, AdamWConfig.defaults(), 100, 100, 1), d.rm(), d.ppo(), d.dpo());
        Recipe recipe = Recipe.fromBaseModel(config, DIR, PromptFormat.Template.DEFAULT);
        assertEquals(bpe, recipe.format().tokenizer());
        try (GPT model = recipe.baseModel()) {
            assertEquals(shape.withDropout(model.config().dropout()), model.config());
            SftTrainer.Result result = recipe.sft(model, recipe.demonstrations(new Random(1)), null, TrainingListener.NONE);
            assertEquals(3, result.steps());
            assertTrue(Double.isFinite(result.trainLoss()), "loss " + result.trainLoss());
        }
    }

    @Test
    void aFolderThatCannotBeLoadedIsRefusedBeforeAnyStage() throws Exception {
        Path empty = DIR.resolveSibling("recipe-empty");
        Files.createDirectories(empty);
        assertThrows(UnsupportedCheckpointException.class,
                () -> Recipe.fromBaseModel(PipelineConfig.defaults(), empty, PromptFormat.Template.DEFAULT));
    }
}
