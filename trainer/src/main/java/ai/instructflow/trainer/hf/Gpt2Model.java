package ai.instructflow.trainer.hf;

import ai.djl.Device;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.model.Sampler;
import ai.instructflow.trainer.tokenizer.Gpt2BpeTokenizer;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A Hugging Face GPT-2 folder loaded whole, weights and tokenizer, for looking at what a base model
 * does before a run starts from it ({@code model generate}, the playground).
 */
public final class Gpt2Model implements AutoCloseable {

    /**
     * Plain continuation, as a pretrained LM is used: no BOS, no separator, and only
     * {@code <|endoftext|>} stops it.
     */
    private static final PromptFormat.Template CONTINUATION = new PromptFormat.Template(false, "\n", true);

    private final GPT model;
    private final Gpt2BpeTokenizer tokenizer;
    private final PromptFormat format;

    private Gpt2Model(GPT model, Gpt2BpeTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.format = new PromptFormat(tokenizer, CONTINUATION);
    }

    /** A folder with an LM head: see {@link ModelInspection#languageModel}. */
    public static Gpt2Model load(Path dir, Device device) throws UnsupportedCheckpointException, IOException {
        ModelInspection.languageModel(dir);
        Gpt2BpeTokenizer tokenizer = Gpt2BpeTokenizer.fromFolder(dir);
        return new Gpt2Model(Gpt2Checkpoint.read(dir, device), tokenizer);
    }

    public GPT model() {
        return model;
    }

    public Gpt2BpeTokenizer tokenizer() {
        return tokenizer;
    }

    /** One prompt's continuation: its text and its token ids (without the prompt's). */
    public record Completion(String prompt, String completion, int[] tokens) {}

    /**
     * Continues every prompt by up to {@code maxTokens} tokens, greedily at temperature 0, else
     * sampled from softmax(logits / temperature) with {@code seed}.
     */
    public List<Completion> generate(List<String> prompts, int maxTokens, float temperature, long seed) {
        List<int[]> ids = new ArrayList<>();
        for (String p : prompts) {
            int[] encoded = tokenizer.encode(p);
            // an empty prompt continues from the start of a document, as GPT-2 was trained
            ids.add(encoded.length == 0 ? new int[] {tokenizer.bos()} : encoded);
        }
        Sampler.Config config = temperature == 0f ? Sampler.Config.greedy(maxTokens) : Sampler.Config.sample(temperature, maxTokens);
        List<int[]> out = new Sampler(model, format).generate(ids, config, new Random(seed));
        List<Completion> completions = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            completions.add(new Completion(prompts.get(i), format.responseText(out.get(i)), out.get(i)));
        }
        return completions;
    }

    @Override
    public void close() {
        model.close();
    }
}
