package ai.instructflow.trainer.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.model.GPTConfig;
import ai.instructflow.trainer.tokenizer.Gpt2BpeTokenizer;
import ai.instructflow.trainer.tokenizer.Tokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a model as a Hugging Face GPT-2 folder that transformers, TRL and serving stacks load and
 * that {@link Gpt2Checkpoint} reads back unchanged: {@code config.json}, {@code model.safetensors}
 * (names prefixed {@code transformer.} as {@code save_pretrained} writes them), and for a BPE model
 * {@code vocab.json}, {@code merges.txt} and {@code tokenizer_config.json}. A byte-level model has no
 * Hugging Face tokenizer class, so its folder carries weights and config only.
 */
public final class Gpt2Export {

    private static final String PREFIX = "transformer.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Gpt2Export() {}

    /** A policy (SFT or PPO) as {@code GPT2LMHeadModel}. */
    public static void policy(GPT model, Tokenizer tokenizer, Path dir) throws IOException {
        if (!model.has(GPT.Head.LM)) {
            throw new IllegalArgumentException("a policy export needs the LM head; this model has none");
        }
        write(model, tokenizer, dir, false);
    }

    /**
     * A reward model as {@code GPT2ForSequenceClassification} with one label, whose score layer
     * has no bias. Ours has one (it centres the demonstrations' rewards on 0), so it is folded into
     * the final LayerNorm's bias: with b' = b + c * w / |w|^2, w . (y + b') = w . (y + b) + c for
     * every hidden state, exactly. The final LayerNorm feeds nothing but the score in this model (it
     * has no LM head), so no other output moves.
     */
    public static void rewardModel(GPT model, Tokenizer tokenizer, Path dir) throws IOException {
        if (!model.has(GPT.Head.SCORE)) {
            throw new IllegalArgumentException("a reward model export needs the score head; this model has none");
        }
        write(model, tokenizer, dir, true);
    }

    private static void write(GPT model, Tokenizer tokenizer, Path dir, boolean classifier) throws IOException {
        Files.createDirectories(dir);
        GPTConfig c = model.config();
        Map<String, NDArray> params = model.parameters();
        try (NDManager scratch = model.manager().newSubManager()) {
            Map<String, NDArray> out = new LinkedHashMap<>();
            for (Gpt2Layout.Tensor t : Gpt2Layout.body(c)) {
                NDArray p = params.get(t.name());
                out.put(PREFIX + t.hfName(), t.conv1d() ? Gpt2Layout.transposed(p, scratch) : p);
            }
            if (classifier) {
                NDArray w = scratchCopy(params.get("score.w"), scratch);
                NDArray bias = scratchCopy(params.get("score.b"), scratch);
                NDArray lnf = scratchCopy(params.get("lnf.b"), scratch);
                out.put(PREFIX + "ln_f.bias", lnf.add(w.squeeze(0).mul(bias.div(w.square().sum()))));
                out.put(Gpt2Layout.score(c).hfName(), params.get("score.w"));
            } else if (!c.architecture().tiedLmHead()) {
                out.put(Gpt2Layout.lmHead(c).hfName(), params.get(Gpt2Layout.lmHead(c).name()));
            }
            SafeTensors.write(dir.resolve(Gpt2Checkpoint.WEIGHTS), out);
        }
        ObjectNode config = Gpt2Config.write(c, classifier, tokenizer.bos(), tokenizer.eos(), tokenizer.pad());
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(Gpt2Config.FILE).toFile(), config);
        if (tokenizer instanceof Gpt2BpeTokenizer bpe) {
            bpe.write(dir);
            ObjectNode tc = JSON.createObjectNode();
            tc.put("tokenizer_class", "GPT2Tokenizer");
            tc.put("bos_token", Gpt2BpeTokenizer.END_OF_TEXT);
            tc.put("eos_token", Gpt2BpeTokenizer.END_OF_TEXT);
            tc.put("unk_token", Gpt2BpeTokenizer.END_OF_TEXT);
            tc.put("pad_token", Gpt2BpeTokenizer.END_OF_TEXT);
            tc.put("model_max_length", c.context());
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("tokenizer_config.json").toFile(), tc);
        }
    }

    private static NDArray scratchCopy(NDArray p, NDManager scratch) {
        NDArray copy = p.duplicate();
        copy.attach(scratch);
        return copy;
    }
}
