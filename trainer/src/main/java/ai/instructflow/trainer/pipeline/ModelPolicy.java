package ai.instructflow.trainer.pipeline;

import ai.instructflow.trainer.eval.Policy;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.model.Sampler;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import ai.instructflow.trainer.train.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A model with a decoding setting, as the evaluator sees it: prompts in, one line out each. Prompts are
 * answered {@link #CHUNK} at a time, each chunk with a random stream of its own drawn from the seed and
 * the chunk's number, so that a long list split along chunks (shards on several workers) is answered
 * exactly as it would be whole.
 */
public final class ModelPolicy implements Policy {

    /** Rows decoded in one batch (the KV cache holds CHUNK rows). */
    public static final int CHUNK = 256;

    /** How many chunks {@code rows} rows make, the last one maybe short. */
    public static int chunks(int rows) {
        return (rows + CHUNK - 1) / CHUNK;
    }

    private final GPT model;
    private final PromptFormat format;
    private final Sampler.Config sampling;
    private final long seed;

    public ModelPolicy(GPT model, PromptFormat format, Sampler.Config sampling, long seed) {
        this.model = model;
        this.format = format;
        this.sampling = sampling;
        this.seed = seed;
    }

    @Override
    public List<String> complete(List<String> prompts) {
        return complete(prompts, 0);
    }

    /** The answers to {@code prompts}, the rows of a longer list from its chunk {@code firstChunk} on. */
    public List<String> complete(List<String> prompts, int firstChunk) {
        Sampler sampler = new Sampler(model, format);
        List<String> out = new ArrayList<>(prompts.size());
        for (int from = 0, chunk = firstChunk; from < prompts.size(); from += CHUNK, chunk++) {
            List<int[]> batch = prompts.subList(from, Math.min(prompts.size(), from + CHUNK)).stream()
                    .map(format::prompt).toList();
            for (int[] response : sampler.generate(batch, sampling, new Random(chunkSeed(chunk)))) {
                out.add(format.responseText(response));
            }
        }
        return out;
    }

    /** A chunk's stream: the seed stepped by the chunk's number (SplitMix64's increment), then mixed. */
    private long chunkSeed(int chunk) {
        return Seeds.mix(seed + (chunk + 1) * 0x9E3779B97F4A7C15L);
    }
}
