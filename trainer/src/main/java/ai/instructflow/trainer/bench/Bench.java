package ai.instructflow.trainer.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.instructflow.trainer.model.Devices;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.model.GPTConfig;
import ai.instructflow.trainer.model.LogProbs;
import ai.instructflow.trainer.model.Sampler;
import ai.instructflow.trainer.model.TokenBatch;
import ai.instructflow.trainer.optim.AdamW;
import ai.instructflow.trainer.optim.AdamWConfig;
import ai.instructflow.trainer.ppo.PpoLoss;
import ai.instructflow.trainer.rm.RewardModelTrainer;
import ai.instructflow.trainer.sft.ResponseLoss;
import ai.instructflow.trainer.tokenizer.ByteTokenizer;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import ai.instructflow.trainer.train.Demonstration;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;

/**
 * Throughput of the trainer's real code paths on random data, one JSON object per line, with the
 * shapes of ../shared/bench/torch_reference.py so the two can be compared side by side. MFU is model
 * FLOPs per second (PaLM appendix B) over the fp32 GEMM FLOPs per second this same process measures
 * ({@link GemmCeiling}); the last row gives each MFU beside that ceiling.
 *
 * <p>The {@code gpt2} preset is GPT-2 small (124M parameters, vocabulary 50,257, context 1,024) with
 * random weights; its defaults are sized for a 2-core CPU (batch 2, 3 steps after 1 warm-up, 4 x 32
 * new tokens, only sft and gen: rm trains on twice the batch and ppo two models, an estimated
 * 15 GB or more at batch 2, not measured).
 * Every row carries the process's peak resident memory so far.
 */
public final class Bench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> OPTIONS = List.of("preset", "device", "batch", "steps", "warmup", "only",
            "gen-batch", "gen-prompt", "gen-new");

    private final GPTConfig shape;
    private final Device device;
    private final int batch;
    private final int steps;
    private final int warmup;
    private final Random rng = new Random(0);

    private Bench(GPTConfig shape, Device device, int batch, int steps, int warmup) {
        this.shape = shape;
        this.device = device;
        this.batch = batch;
        this.steps = steps;
        this.warmup = warmup;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].replaceFirst("^--", "");
            if (!OPTIONS.contains(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException("bench: unknown option or missing value: " + args[i]);
            }
            opts.put(name, args[i + 1]);
        }
        String preset = opts.getOrDefault("preset", "small");
        boolean gpt2 = preset.equals("gpt2");
        int vocab = gpt2 ? GPTConfig.GPT2_VOCAB : new ByteTokenizer().vocabSize();
        GPTConfig shape = GPTConfig.preset(preset, vocab).withDropout(0f);
        Device device = Devices.parse(opts.getOrDefault("device", "cpu"));
        Bench bench = new Bench(shape, device, intOption(opts, "batch", gpt2 ? 2 : 16),
                intOption(opts, "steps", gpt2 ? 3 : 10), intOption(opts, "warmup", gpt2 ? 1 : 2));
        List<String> only = List.of(opts.getOrDefault("only", gpt2 ? "sft,gen" : "sft,rm,gen,ppo").split(","));
        GemmCeiling ceiling = new GemmCeiling(shape, bench.batch * (shape.context() - 1), device);
        ceiling.measure("before", Bench::print);
        Map<String, Object> mfu = new LinkedHashMap<>();
        if (only.contains("sft")) {
            mfu.put("sft", bench.sft());
        }
        if (only.contains("rm")) {
            bench.rm();
        }
        if (only.contains("gen")) {
            mfu.put("gen", bench.gen(intOption(opts, "gen-batch", gpt2 ? 4 : 64),
                    intOption(opts, "gen-prompt", 32),
                    intOption(opts, "gen-new", gpt2 ? 32 : 64)));
        }
        if (only.contains("ppo")) {
            mfu.put("ppo", bench.ppo());
        }
        if (!mfu.isEmpty()) {
            ceiling.measure("after", Bench::print);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("workload", "mfu");
            out.put("gemm_gflops", ceiling.flopsPerSecond() / 1e9);
            out.put("gemm", ceiling.bestOf());
            mfu.forEach((workload, flops) -> out.put(workload, (double) flops / ceiling.flopsPerSecond()));
            print(out);
        }
    }

    private static int intOption(Map<String, String> opts, String name, int fallback) {
        String value = opts.get(name);
        try {
            int n = value == null ? fallback : Integer.parseInt(value);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a positive integer, got '" + value + "'");
        }
    }

    /** @return the model FLOPs per second it trained at */
    private double sft() throws Exception {
        try (GPT model = GPT.create(shape, device, 1, GPT.Head.LM)) {
            AdamW opt = new AdamW(model, AdamWConfig.defaults());
            model.setTrainable(true);
            List<Demonstration> data = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                // a one-token prompt: the loss covers ctx - 1 tokens, as in the reference
                data.add(new Demonstration(new int[] {ByteTokenizer.BOS}, randomTokens(shape.context() - 1)));
            }
            double secs = timed(() -> {
                try (NDScope scope = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(ResponseLoss.of(model, data, ByteTokenizer.PAD, true).loss());
                }
                opt.update(3e-4f);
            });
            int seq = shape.context() - 1;
            double tokensPerS = steps * batch * (double) seq / secs;
            Map<String, Object> out = row("sft");
            out.put("tokens_per_s", tokensPerS);
            double flops = tokensPerS * shape.trainFlopsPerToken(seq);
            out.put("model_gflops", flops / 1e9);
            print(out);
            return flops;
        }
    }

    private void rm() throws Exception {
        try (GPT model = GPT.create(shape, device, 2, GPT.Head.SCORE)) {
            AdamW opt = new AdamW(model, AdamWConfig.defaults());
            model.setTrainable(true);
            List<int[]> prompts = new ArrayList<>();
            List<int[]> responses = new ArrayList<>();
            for (int b = 0; b < 2 * batch; b++) {
                prompts.add(new int[] {ByteTokenizer.BOS});
                responses.add(randomTokens(shape.context() - 1));
            }
            NDArray chosen = model.manager().arange(0, batch);
            NDArray rejected = model.manager().arange(batch, 2 * batch);
            double secs = timed(() -> {
                try (NDScope scope = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray r = RewardModelTrainer.rewards(model, prompts, responses, true);
                    NDArray diff = r.get(chosen).sub(r.get(rejected));
                    gc.backward(ai.djl.nn.Activation.softPlus(diff.neg()).mean());
                }
                opt.update(3e-4f);
            });
            Map<String, Object> out = row("rm");
            out.put("pairs_per_s", steps * batch / secs);
            print(out);
        }
    }

    /**
     * Sampling with and without the KV cache; returns the decode's model FLOPs per second at 2N per new
     * token (N: non-embedding parameters), so over the GEMM ceiling it is the share of the bound that
     * decoding's matrix-vector work sets (attention over the cache, not counted, only adds to it).
     */
    private double gen(int genBatch, int promptLen, int newTokens) throws Exception {
        try (GPT model = GPT.create(shape, device, 3, GPT.Head.LM)) {
            Sampler sampler = new Sampler(model, new PromptFormat(new ByteTokenizer()));
            List<int[]> prompts = new ArrayList<>();
            for (int b = 0; b < genBatch; b++) {
                prompts.add(randomTokens(promptLen));
            }
            Sampler.Config config = new Sampler.Config(1f, 0, 1f, newTokens, false);
            int reps = Math.max(1, steps / 5);
            double cached = timed(() -> sampler.generate(prompts, config, new Random(1), true), reps, 1);
            double uncached = timed(() -> sampler.generate(prompts, config, new Random(1), false), 1, 0);
            Map<String, Object> out = row("gen");
            double withCache = reps * genBatch * (double) newTokens / cached;
            double without = genBatch * (double) newTokens / uncached;
            out.put("new_tokens_per_s", withCache);
            out.put("new_tokens_per_s_no_cache", without);
            out.put("kv_cache_speedup", withCache / without);
            out.put("gen_batch", genBatch);
            out.put("prompt", promptLen);
            out.put("new", newTokens);
            double flops = withCache * 2.0 * shape.nonEmbeddingParams();
            out.put("decode_gflops", flops / 1e9);
            print(out);
            return flops;
        }
    }

    /** One PPO minibatch update as PpoTrainer runs it: policy surrogate + separate value model; returns model FLOPs per second. */
    private double ppo() throws Exception {
        try (GPT policy = GPT.create(shape, device, 4, GPT.Head.LM);
             GPT value = GPT.create(shape, device, 5, GPT.Head.SCORE)) {
            AdamW policyOpt = new AdamW(policy, AdamWConfig.defaults());
            AdamW valueOpt = new AdamW(value, AdamWConfig.defaults());
            policy.setTrainable(true);
            value.setTrainable(true);
            int seq = shape.context() - 1;
            List<int[]> rows = new ArrayList<>();
            long[] targets = new long[batch * seq];
            for (int b = 0; b < batch; b++) {
                int[] tokens = randomTokens(shape.context());
                rows.add(java.util.Arrays.copyOf(tokens, seq));
                for (int t = 0; t < seq; t++) {
                    targets[b * seq + t] = tokens[t + 1];
                }
            }
            TokenBatch input = TokenBatch.rightPadded(rows, ByteTokenizer.PAD, seq);
            NDManager m = policy.manager();
            Shape s = new Shape(batch, seq);
            NDArray target = m.create(targets, s);
            NDArray oldLogp = m.randomNormal(s).sub(5f);
            NDArray adv = m.randomNormal(s);
            NDArray returns = m.randomNormal(s);
            NDArray oldValues = m.randomNormal(s);
            NDArray mask = m.ones(s);
            double secs = timed(() -> {
                try (NDScope scope = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray logp = LogProbs.of(policy.logits(policy.forward(input, null, false)), target);
                    gc.backward(PpoLoss.policy(logp, oldLogp, adv, mask, 0.2f).loss());
                }
                policyOpt.update(1e-5f);
                try (NDScope scope = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray v = value.scores(value.forward(input, null, false));
                    gc.backward(PpoLoss.value(v, oldValues, returns, mask, 0.2f));
                }
                valueOpt.update(1e-5f);
            });
            double tokensPerS = steps * batch * (double) seq / secs;
            Map<String, Object> out = row("ppo");
            out.put("tokens_per_s", tokensPerS);
            // two models trained per token: the policy and the value model
            double flops = tokensPerS * 2 * shape.trainFlopsPerToken(seq);
            out.put("model_gflops", flops / 1e9);
            print(out);
            return flops;
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private double timed(Step step) throws Exception {
        return timed(step, steps, warmup);
    }

    private static double timed(Step step, int reps, int warm) throws Exception {
        for (int i = 0; i < warm; i++) {
            step.run();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            step.run();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private int[] randomTokens(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = rng.nextInt(256);
        }
        return out;
    }

    private Map<String, Object> row(String workload) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("workload", workload);
        out.put("vocab", shape.vocabSize());
        out.put("d_model", shape.dModel());
        out.put("layers", shape.layers());
        out.put("heads", shape.heads());
        out.put("ctx", shape.context());
        out.put("batch", batch);
        out.put("device", device.toString());
        out.put("engine", "DJL " + Engine.getDjlVersion() + " / PyTorch " + Engine.getInstance().getVersion());
        peakRssMb().ifPresent(mb -> out.put("peak_rss_mb", mb));
        return out;
    }

    /** VmHWM, the resident-set high-water mark the kernel keeps (Linux only): Java heap plus libtorch. */
    private static OptionalLong peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("\\D", "")) / 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or no procfs: the rows go without it
        }
        return OptionalLong.empty();
    }

    private static void print(Map<String, Object> row) {
        try {
            System.out.println(JSON.writeValueAsString(row));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
