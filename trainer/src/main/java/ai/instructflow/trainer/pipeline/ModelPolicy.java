package ai.instructflow.trainer.pipeline;

import ai.instructflow.trainer.eval.Policy;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.model.Sampler;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A model with a decoding setting, as the evaluator sees it: prompts in, one line out each. */
public final class ModelPolicy implements Policy {

    private static final int CHUNK = 256;

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
        Sampler sampler = new Sampler(model, format);
        Random rng = new Random(seed);
        List<String> out = new ArrayList<>(prompts.size());
        for (int from = 0; from < prompts.size(); from += CHUNK) {
            List<int[]> batch = prompts.subList(from, Math.min(prompts.size(), from + CHUNK)).stream()
                    .map(format::prompt).toList();
            for (int[] response : sampler.generate(batch, sampling, rng)) {
                out.add(format.responseText(response));
            }
        }
        return out;
    }
}
