package ai.instructflow.trainer.ppo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.training.GradientCollector;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.model.GradMode;
import ai.instructflow.trainer.model.LogProbs;
import ai.instructflow.trainer.model.OwnedArrays;
import ai.instructflow.trainer.model.PackedBatch;
import ai.instructflow.trainer.model.Sampler;
import ai.instructflow.trainer.optim.AdamW;
import ai.instructflow.trainer.rm.RewardModelTrainer;
import ai.instructflow.trainer.sft.ResponseLoss;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import ai.instructflow.trainer.train.BatchOrder;
import ai.instructflow.trainer.train.Checkpoint;
import ai.instructflow.trainer.train.Demonstration;
import ai.instructflow.trainer.train.DivergenceException;
import ai.instructflow.trainer.train.TrainingListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CancellationException;

/**
 * PPO against the reward model (InstructGPT section 3.5 and appendix C.4). Each iteration samples
 * responses at temperature 1 and maximises
 *
 * <pre>objective = E[ r(x, y) - beta * log(pi(y|x) / pi_SFT(y|x)) ] + gamma * E_ptx[ log pi(x) ]   (eq. 2)</pre>
 *
 * with the KL term applied per token and the RM score added at the last token, GAE advantages,
 * the clipped surrogate (Schulman et al. 2017, eq. 7), a clipped value loss, whitened advantages,
 * and a separate value model initialised from the reward model. A {@link RewardHackingGuard} watches
 * each iteration's rollouts and may end PPO early with the best policy it kept.
 */
public final class PpoTrainer {

    public static final String STAGE = "ppo";

    /** Extra per-iteration metrics computed from the rollouts, e.g. a held-out judge's score. */
    public interface RolloutObserver {
        Map<String, Double> observe(List<int[]> prompts, List<int[]> responses);
    }

    /** Each iteration's metrics, and why PPO stopped early ({@code null} when it ran every iteration). */
    public record Result(List<Map<String, Double>> history, EarlyStop earlyStop) {}

    private final PpoConfig config;
    private final PromptFormat format;
    private final int pad;

    public PpoTrainer(PpoConfig config, PromptFormat format) {
        this.config = config;
        this.format = format;
        this.pad = format.tokenizer().pad();
    }

    /**
     * Trains {@code policy} and {@code value} in place against the frozen {@code reference} (the SFT
     * model) and {@code rewardModel}.
     */
    public Result train(GPT policy, GPT value, GPT reference, GPT rewardModel, List<int[]> prompts,
                        List<Demonstration> ptxData, Checkpoint resume, TrainingListener listener,
                        RolloutObserver observer) {
        GradMode.offOnThisThread();
        AdamW policyOpt = new AdamW(policy, config.adam());
        AdamW valueOpt = new AdamW(value, config.adam());
        KlController kl = new KlController(config.klCoef(), config.adaptiveKl(), config.klTarget(), config.klHorizon());
        long start = 0;
        if (resume != null) {
            resume.loadModel("policy/", policy);
            resume.loadModel("value/", value);
            resume.restoreOptimizer("policy/", policyOpt);
            resume.restoreOptimizer("value/", valueOpt);
            kl.restore(resume.getDouble("beta"));
            start = resume.getLong("step");
        }
        BatchOrder promptOrder = new BatchOrder(prompts.size(), config.seed());
        BatchOrder ptxOrder = ptxData.isEmpty() ? null : new BatchOrder(ptxData.size(), config.seed() + 1);
        Sampler sampler = new Sampler(policy, format);
        List<Map<String, Double>> history = new ArrayList<>();
        EarlyStop stopped = null;
        try (RewardHackingGuard guard = new RewardHackingGuard(config.guard())) {
            if (resume != null) {
                guard.restore(resume, policy);
            }
            policy.setTrainable(true);
            value.setTrainable(true);
            for (long it = start; it < config.iterations(); it++) {
                if (listener.cancelled()) {
                    listener.onCheckpoint(STAGE, it, checkpoint(policy, value, policyOpt, valueOpt, kl, guard, it));
                    throw new CancellationException("PPO cancelled at iteration " + it);
                }
                Random rng = new Random(config.seed() * 1_000_003L + it);
                Engine.getInstance().setRandomSeed((int) (config.seed() * 31 + it));
                List<int[]> batch = BatchOrder.pick(prompts, promptOrder.batch(it, config.rolloutBatch()));
                long began = System.nanoTime();
                List<int[]> responses = sampler.generate(batch,
                        Sampler.Config.sample(config.temperature(), config.maxNewTokens()), rng);
                long generated = System.nanoTime();
                Rollout rollout = new Rollout(batch, responses, pad);
                Map<String, Double> metrics = score(rollout, policy, value, reference, rewardModel, kl.beta());
                if (observer != null) {
                    metrics.putAll(observer.observe(batch, responses));
                }
                long scored = System.nanoTime();
                Optional<EarlyStop> stop = guard.observe(it + 1, metrics, policy);
                if (stop.isPresent()) {
                    guard.handOnBest(policy);
                    stopped = stop.get();
                } else {
                    metrics.putAll(update(rollout, policy, value, policyOpt, valueOpt, ptxData, ptxOrder, it, rng));
                    kl.update(metrics.get("kl"), rollout.size());
                    metrics.put("beta", kl.beta());
                }
                metrics.putAll(timeSplit(began, generated, scored, System.nanoTime()));
                history.add(metrics);
                listener.onStep(STAGE, it + 1, config.iterations(), metrics);
                if (stopped != null) {
                    break;
                }
                boolean last = it + 1 == config.iterations();
                if (config.checkpointEvery() > 0 && (it + 1) % config.checkpointEvery() == 0 && !last) {
                    listener.onCheckpoint(STAGE, it + 1, checkpoint(policy, value, policyOpt, valueOpt, kl, guard, it + 1));
                }
            }
        }
        policy.setTrainable(false);
        value.setTrainable(false);
        return new Result(history, stopped);
    }

    /**
     * Where an iteration's time went: sampling the responses, scoring them (policy, reference, value
     * and reward model forwards, GAE, the observer's judge) and the minibatch updates, in seconds, and
     * the share spent sampling: token-by-token decoding, not training, is what usually bounds PPO.
     */
    private static Map<String, Double> timeSplit(long began, long generated, long scored, long updated) {
        Map<String, Double> split = new LinkedHashMap<>();
        split.put("generate_seconds", (generated - began) / 1e9);
        split.put("score_seconds", (scored - generated) / 1e9);
        split.put("update_seconds", (updated - scored) / 1e9);
        split.put("generation_share", (generated - began) / (double) (updated - began));
        return split;
    }

    /** Old log-probs, reference log-probs, values, RM scores, per-token rewards and GAE. */
    private Map<String, Double> score(Rollout ro, GPT policy, GPT value, GPT reference, GPT rewardModel, double beta) {
        int n = ro.size();
        int len = ro.responseLength;
        ro.oldLogProbs = new float[n * len];
        ro.refLogProbs = new float[n * len];
        ro.values = new float[n * len];
        for (int[] rows : chunks(n, config.minibatch(), null)) {
            try (NDScope scope = new NDScope()) {
                copy(logProbs(policy, ro, rows), ro.oldLogProbs, rows[0] * len);
                copy(logProbs(reference, ro, rows), ro.refLogProbs, rows[0] * len);
                copy(values(value, ro, rows).toFloatArray(), ro.values, rows[0] * len);
            }
        }
        ro.scores = RewardModelTrainer.score(rewardModel, ro.prompts, ro.responses);
        ro.advantages = new float[n * len];
        ro.returns = new float[n * len];
        double klSum = 0;
        double lengthSum = 0;
        double scoreSum = 0;
        for (int r = 0; r < n; r++) {
            int length = ro.responses.get(r).length;
            float[] rewards = new float[length];
            for (int t = 0; t < length; t++) {
                float k = ro.oldLogProbs[r * len + t] - ro.refLogProbs[r * len + t];
                rewards[t] = (float) (-beta * k);
                klSum += k;
            }
            rewards[length - 1] += ro.scores[r];
            float[] adv = new float[length];
            float[] ret = new float[length];
            float[] vals = java.util.Arrays.copyOfRange(ro.values, r * len, r * len + length);
            Gae.compute(rewards, vals, length, config.gamma(), config.lambda(), adv, ret);
            System.arraycopy(adv, 0, ro.advantages, r * len, length);
            System.arraycopy(ret, 0, ro.returns, r * len, length);
            lengthSum += length;
            scoreSum += ro.scores[r];
        }
        whiten(ro.advantages, ro.mask);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("reward", scoreSum / n);
        metrics.put("kl", klSum / n);
        metrics.put("response_length", lengthSum / n);
        return metrics;
    }

    /** Epochs of minibatch updates; the first minibatch runs before any update, so its ratio is exactly 1. */
    private Map<String, Double> update(Rollout ro, GPT policy, GPT value, AdamW policyOpt, AdamW valueOpt,
                                       List<Demonstration> ptxData, BatchOrder ptxOrder, long it, Random rng) {
        double clipFrac = 0;
        double approxKl = 0;
        double entropy = 0;
        double policyLoss = 0;
        double valueLoss = 0;
        double ptxLoss = 0;
        double initialRatioError = Double.NaN;
        int updates = 0;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            for (int[] rows : chunks(ro.size(), config.minibatch(), epoch == 0 ? null : rng)) {
                try (NDScope scope = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDManager m = policy.manager();
                    Shape shape = new Shape(rows.length, ro.responseLength);
                    NDArray mask = m.create(ro.slice(ro.mask, rows), shape);
                    NDArray logits = responseLogits(policy, ro, rows);
                    NDArray logp = LogProbs.of(logits, m.create(ro.sliceTargets(rows), shape));
                    PpoLoss.Policy pg = PpoLoss.policy(logp, m.create(ro.slice(ro.oldLogProbs, rows), shape),
                            m.create(ro.slice(ro.advantages, rows), shape), mask, config.clip());
                    NDArray loss = pg.loss();
                    if (config.ptxCoef() > 0 && ptxOrder != null) {
                        NDArray ptx = ResponseLoss.of(policy, BatchOrder.pick(ptxData,
                                ptxOrder.batch(it * 1_000 + updates, config.ptxBatch())), pad, false).loss();
                        loss = loss.add(OwnedArrays.scale(ptx, config.ptxCoef()));
                        ptxLoss += ptx.getFloat();
                    }
                    gc.backward(loss);
                    DivergenceException.check(STAGE, it, loss.getFloat());
                    policyLoss += loss.getFloat();
                    NDArray deviation = pg.ratio().sub(1f).abs();
                    if (updates == 0) {
                        initialRatioError = deviation.mul(mask).max().getFloat();
                    }
                    clipFrac += PpoLoss.maskedMean(deviation.gt(config.clip()).toType(DataType.FLOAT32, false), mask).getFloat();
                    // k3 estimator of KL(old || new): (r - 1) - log r, always >= 0
                    approxKl += PpoLoss.maskedMean(pg.ratio().sub(1f).sub(pg.ratio().log()), mask).getFloat();
                    entropy += PpoLoss.maskedMean(LogProbs.entropy(logits), mask).getFloat();
                }
                policyOpt.update(config.policyLr());
                try (NDScope scope = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDManager m = value.manager();
                    Shape shape = new Shape(rows.length, ro.responseLength);
                    NDArray loss = PpoLoss.value(values(value, ro, rows), m.create(ro.slice(ro.values, rows), shape),
                            m.create(ro.slice(ro.returns, rows), shape), m.create(ro.slice(ro.mask, rows), shape),
                            config.valueClip());
                    gc.backward(loss);
                    DivergenceException.check(STAGE, it, loss.getFloat());
                    valueLoss += loss.getFloat();
                }
                valueOpt.update(config.valueLr());
                updates++;
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("entropy", entropy / updates);
        metrics.put("clip_fraction", clipFrac / updates);
        metrics.put("approx_kl", approxKl / updates);
        metrics.put("policy_loss", policyLoss / updates);
        metrics.put("value_loss", valueLoss / updates);
        if (config.ptxCoef() > 0) {
            metrics.put("ptx_loss", ptxLoss / updates);
        }
        metrics.put("initial_ratio_error", initialRatioError);
        return metrics;
    }

    /** Logits predicting each response token, [rows, responseLength, V]. */
    private static NDArray responseLogits(GPT model, Rollout ro, int[] rows) {
        return model.logits(responseHidden(model, ro, rows));
    }

    private static float[] logProbs(GPT model, Rollout ro, int[] rows) {
        NDArray targets = model.manager().create(ro.sliceTargets(rows), new Shape(rows.length, ro.responseLength));
        return LogProbs.of(responseLogits(model, ro, rows), targets).toFloatArray();
    }

    /** V(state before each response token), [rows, responseLength]. */
    private static NDArray values(GPT model, Rollout ro, int[] rows) {
        return model.scores(responseHidden(model, ro, rows));
    }

    /** The final hidden states before each response token, [rows, responseLength, d], from one packed pass. */
    private static NDArray responseHidden(GPT model, Rollout ro, int[] rows) {
        PackedBatch input = ro.input(rows);
        NDArray hidden = model.forward(input, false);
        NDArray cells = model.manager().create(ro.responseCells(input, rows), new Shape(rows.length, ro.responseLength));
        // an embedding lookup is a differentiable gather of whole rows: here the packed positions' states
        return Embedding.embedding(cells, hidden.reshape(-1, hidden.getShape().get(2)), SparseFormat.DENSE)
                .singletonOrThrow();
    }

    /** Consecutive row groups; shuffled first when a Random is given. */
    private static List<int[]> chunks(int n, int size, Random shuffle) {
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        if (shuffle != null) {
            Collections.shuffle(order, shuffle);
        }
        List<int[]> out = new ArrayList<>();
        for (int from = 0; from < n; from += size) {
            out.add(order.subList(from, Math.min(n, from + size)).stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    /** Advantages to zero mean and unit variance over real tokens, so the step size is scale-free. */
    private static void whiten(float[] x, float[] mask) {
        double sum = 0;
        double count = 0;
        for (int i = 0; i < x.length; i++) {
            sum += x[i] * mask[i];
            count += mask[i];
        }
        double mean = sum / count;
        double var = 0;
        for (int i = 0; i < x.length; i++) {
            var += mask[i] * (x[i] - mean) * (x[i] - mean);
        }
        double std = Math.sqrt(var / count) + 1e-8;
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (mask[i] * (x[i] - mean) / std);
        }
    }

    private static void copy(float[] from, float[] to, int offset) {
        System.arraycopy(from, 0, to, offset, from.length);
    }

    private Checkpoint checkpoint(GPT policy, GPT value, AdamW policyOpt, AdamW valueOpt, KlController kl,
                                  RewardHackingGuard guard, long step) {
        Checkpoint c = new Checkpoint().put("stage", STAGE).put("step", step).put("seed", config.seed()).put("beta", kl.beta())
                .putModel("policy/", policy).putModel("value/", value)
                .putOptimizer("policy/", policyOpt).putOptimizer("value/", valueOpt);
        guard.save(c);
        return c;
    }
}
