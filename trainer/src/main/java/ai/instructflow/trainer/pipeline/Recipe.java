package ai.instructflow.trainer.pipeline;

import ai.djl.Device;
import ai.instructflow.trainer.dpo.DpoTrainer;
import ai.instructflow.trainer.eval.Evaluator;
import ai.instructflow.trainer.eval.WinRate;
import ai.instructflow.trainer.hf.Gpt2Checkpoint;
import ai.instructflow.trainer.hf.ModelInspection;
import ai.instructflow.trainer.hf.UnsupportedCheckpointException;
import ai.instructflow.trainer.model.Devices;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.model.GPTConfig;
import ai.instructflow.trainer.model.Sampler;
import ai.instructflow.trainer.ppo.PpoTrainer;
import ai.instructflow.trainer.rm.RewardModelTrainer;
import ai.instructflow.trainer.sft.SftTrainer;
import ai.instructflow.trainer.suite.LabelerPool;
import ai.instructflow.trainer.suite.ResponsePair;
import ai.instructflow.trainer.suite.SimulatedDemonstrator;
import ai.instructflow.trainer.suite.SimulatedLabeler;
import ai.instructflow.trainer.suite.Split;
import ai.instructflow.trainer.suite.SuiteConfig;
import ai.instructflow.trainer.suite.SuitePrompt;
import ai.instructflow.trainer.suite.TaskSuite;
import ai.instructflow.trainer.tokenizer.ByteTokenizer;
import ai.instructflow.trainer.tokenizer.Gpt2BpeTokenizer;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import ai.instructflow.trainer.train.Checkpoint;
import ai.instructflow.trainer.train.Comparison;
import ai.instructflow.trainer.train.Demonstration;
import ai.instructflow.trainer.train.ResponseLogProbs;
import ai.instructflow.trainer.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The InstructGPT recipe's steps (paper figure 2) with the built-in suite's simulated people, each a
 * method from plain objects to plain objects. {@link LocalPipeline} calls them in one process; the
 * platform's activities call the same methods one stage at a time with object storage in between.
 * Every step takes the caller's random generator, so one generator threaded through all of them
 * reproduces a local run, and a generator per stage makes each stage repeatable on its own.
 */
public final class Recipe {

    /** Held-out demonstrations for SFT's evaluation loss. */
    public static final int EVAL_DEMONSTRATIONS = 200;
    /** Answers in one forward pass when their log-probabilities are measured. */
    private static final int SCORED_TOGETHER = 64;

    /** Step 1's data: demonstrations to train on and held-out ones to measure the loss on. */
    public record Demonstrations(List<Demonstration> train, List<Demonstration> eval) {}

    /** Step 2's data: K-way rankings of SFT samples, and the labelers' calibration. */
    public record Rankings(List<Comparison> train, List<Comparison> heldOut, double labelerTemperature,
                           double agreement) {}

    /** Prompts for people to answer or rank: some to train on, some held out for measuring. */
    public record Prompts(List<String> train, List<String> heldOut) {}

    /**
     * What labelers rank in step 2: K SFT samples per prompt, and the Bradley–Terry temperature at
     * which simulated labelers of these samples agree as often as the paper's people did.
     */
    public record Samples(Prompts prompts, List<List<String>> train, List<List<String>> heldOut,
                          double labelerTemperature) {}

    private final PipelineConfig config;
    private final PromptFormat format;
    /** A Hugging Face GPT-2 folder to start from; null: the preset's random weights. */
    private final Path base;
    private final TaskSuite suite;
    private final PromptPool prompts;
    private final Device device;

    /** From the preset's random weights, with the byte-level tokenizer, on the built-in suite's prompts. */
    public Recipe(PipelineConfig config) {
        this(config, null);
    }

    /** As {@link #Recipe(PipelineConfig)}, on {@code prompts}, or on the built-in suite's when null. */
    public Recipe(PipelineConfig config, PromptPool prompts) {
        this(config, new PromptFormat(new ByteTokenizer()), null, prompts);
    }

    private Recipe(PipelineConfig config, PromptFormat format, Path base, PromptPool prompts) {
        this.config = config;
        this.format = format;
        this.base = base;
        this.suite = new TaskSuite(SuiteConfig.defaults(), config.seed());
        this.prompts = prompts != null ? prompts : new SuitePool(suite);
        this.device = Devices.parse(config.device());
    }

    public PromptPool prompts() {
        return prompts;
    }

    /**
     * From a pretrained Hugging Face GPT-2 folder (config.json, safetensors, BPE tokenizer files), as
     * the paper starts from GPT-3; every stage formats text with its tokenizer and {@code template}.
     * The folder is checked whole here, so a run refuses it before any stage starts; the preset in
     * {@code config} is then unused.
     */
    public static Recipe fromBaseModel(PipelineConfig config, Path folder, PromptFormat.Template template)
            throws UnsupportedCheckpointException, IOException {
        return fromBaseModel(config, folder, template, null);
    }

    /** As {@link #fromBaseModel(PipelineConfig, Path, PromptFormat.Template)}, on {@code prompts} (null: the suite's). */
    public static Recipe fromBaseModel(PipelineConfig config, Path folder, PromptFormat.Template template,
                                       PromptPool prompts) throws UnsupportedCheckpointException, IOException {
        ModelInspection.languageModel(folder);
        return new Recipe(config, new PromptFormat(Gpt2BpeTokenizer.fromFolder(folder), template), folder, prompts);
    }

    public PipelineConfig config() {
        return config;
    }

    public PromptFormat format() {
        return format;
    }

    public Device device() {
        return device;
    }

    public Demonstrations demonstrations(Random rng) {
        List<Demonstration> train = demonstrate(suite.sample(Split.TRAIN, config.demonstrations(), rng), rng);
        List<Demonstration> eval = demonstrate(suite.sample(Split.HELD_OUT, EVAL_DEMONSTRATIONS, rng), rng);
        return new Demonstrations(train, eval);
    }

    /**
     * Step 1's prompts, for people (or the simulated demonstrators) to answer through the labeling
     * queue, with a tenth as many held out (up to {@link #EVAL_DEMONSTRATIONS}) so a small queue stays small.
     */
    public Prompts demonstrationPrompts(Random rng) {
        int heldOut = Math.max(1, Math.min(EVAL_DEMONSTRATIONS, config.demonstrations() / 10));
        return new Prompts(prompts.sample(Split.TRAIN, config.demonstrations(), rng),
                prompts.sample(Split.HELD_OUT, heldOut, rng));
    }

    /** A simulated demonstrator's answer, uneven as people's are (the suite's demonstrator rates). */
    public String demonstrate(SuitePrompt prompt, Random rng) {
        return new SimulatedDemonstrator(config.demonstrators()).demonstrate(prompt, rng);
    }

    /**
     * The base model: the Hugging Face folder's weights if the recipe has one, else a fresh GPT of the
     * configured preset (the paper starts from pretrained GPT-3).
     */
    public GPT baseModel() {
        if (base != null) {
            try {
                return Gpt2Checkpoint.read(base, device);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (UnsupportedCheckpointException e) {
                throw new IllegalStateException("the base model changed after it was checked: " + e.getMessage(), e);
            }
        }
        GPTConfig shape = GPTConfig.preset(config.preset(), format.tokenizer().vocabSize());
        return GPT.create(shape, device, config.seed(), GPT.Head.LM);
    }

    public SftTrainer.Result sft(GPT model, Demonstrations data, Checkpoint resume, TrainingListener listener) {
        return new SftTrainer(config.sft(), format.tokenizer().pad()).train(model, data.train(), data.eval(), resume, listener);
    }

    /** K samples per prompt from the SFT model, ranked by the training labelers calibrated to the paper's agreement. */
    public Rankings rankings(GPT sft, Random rng) {
        Samples samples = comparisonSamples(sft, rng);
        LabelerPool labelers = trainingLabelers(samples.labelerTemperature());
        double agreement = labelers.measureAgreement(distinctPairs(samples.prompts().train(), samples.train()),
                new Random(config.seed()));
        return new Rankings(rank(samples.prompts().train(), samples.train(), labelers, rng),
                rank(samples.prompts().heldOut(), samples.heldOut(), labelers, rng),
                samples.labelerTemperature(), agreement);
    }

    /** Step 2's comparison work before anyone ranks: K samples per prompt and the simulated labelers' calibration. */
    public Samples comparisonSamples(GPT sft, Random rng) {
        ComparisonPlan plan = comparisonPlan(rng);
        return comparisonSamples(plan, sample(sft, plan, 0, plan.chunks()));
    }

    /**
     * What step 2 samples, before any sampling: the prompts drawn, each of them K times as rows (train
     * then held out), and the seed the rows' samples come from.
     */
    public record ComparisonPlan(Prompts prompts, List<String> rows, long seed) {

        /** The rows' chunks ({@link ModelPolicy#CHUNK} each): the units a split of the sampling is made of. */
        public int chunks() {
            return ModelPolicy.chunks(rows.size());
        }
    }

    public ComparisonPlan comparisonPlan(Random rng) {
        Prompts drawn = new Prompts(prompts.sample(Split.TRAIN, config.comparisonPrompts(), rng),
                prompts.sample(Split.HELD_OUT, config.heldOutComparisons(), rng));
        List<String> rows = new ArrayList<>();
        for (String p : drawn.train()) {
            rows.addAll(Collections.nCopies(config.k(), p));
        }
        for (String p : drawn.heldOut()) {
            rows.addAll(Collections.nCopies(config.k(), p));
        }
        return new ComparisonPlan(drawn, rows, rng.nextLong());
    }

    /**
     * Temperature-1 samples of the SFT model for the plan's rows in chunks [fromChunk, toChunk), as
     * the paper's comparison data; the same whichever split of the chunks makes them.
     */
    public List<String> sample(GPT sft, ComparisonPlan plan, int fromChunk, int toChunk) {
        return new ModelPolicy(sft, format, temperatureOne(), plan.seed())
                .complete(chunks(plan.rows(), fromChunk, toChunk), fromChunk);
    }

    /** Sampling as the paper's comparison data and evaluation have it: temperature 1, PPO's response length. */
    private Sampler.Config temperatureOne() {
        return Sampler.Config.sample(1f, config.ppo().maxNewTokens());
    }

    /** The rows of chunks [fromChunk, toChunk) of {@code rows}, {@link ModelPolicy#CHUNK} each. */
    private static List<String> chunks(List<String> rows, int fromChunk, int toChunk) {
        return rows.subList(Math.min(rows.size(), fromChunk * ModelPolicy.CHUNK),
                Math.min(rows.size(), toChunk * ModelPolicy.CHUNK));
    }

    /** The plan's samples, one per row in order, as K per prompt, and the simulated labelers calibrated on them. */
    public Samples comparisonSamples(ComparisonPlan plan, List<String> samples) {
        if (samples.size() != plan.rows().size()) {
            throw new IllegalArgumentException(plan.rows().size() + " rows to sample, " + samples.size() + " samples");
        }
        Prompts drawn = plan.prompts();
        int k = config.k();
        List<List<String>> train = perPrompt(samples.subList(0, drawn.train().size() * k), k);
        List<List<String>> heldOut = perPrompt(samples.subList(drawn.train().size() * k, samples.size()), k);
        List<ResponsePair> pairs = distinctPairs(drawn.train(), train);
        // the simulated labelers' calibration means nothing where they cannot judge the prompts
        double temperature = pairs.isEmpty() ? 1.0 : LabelerPool.calibrate(pairs, LabelerPool.TARGET_AGREEMENT);
        return new Samples(drawn, train, heldOut, temperature);
    }

    /**
     * The simulated judges' temperature for comparisons that came from elsewhere (an imported file),
     * calibrated on their distinct pairs of suite prompts; 1 when none are the suite's.
     */
    public double labelerTemperature(List<Comparison> comparisons) {
        List<String> prompts = new ArrayList<>();
        List<List<String>> texts = new ArrayList<>();
        for (Comparison c : comparisons) {
            prompts.add(format.promptText(c.prompt()));
            texts.add(c.responses().stream().map(format::responseText).toList());
        }
        List<ResponsePair> pairs = distinctPairs(prompts, texts);
        return pairs.isEmpty() ? 1.0 : LabelerPool.calibrate(pairs, LabelerPool.TARGET_AGREEMENT);
    }

    /** The group whose rankings train the reward model. */
    public LabelerPool trainingLabelers(double temperature) {
        return LabelerPool.training(config.labelers(), temperature, config.seed());
    }

    /**
     * Ranks (0 = best) from a labeler's order of the responses, best first. Identical samples are a
     * tie, as a labeler would mark them: no preference to learn.
     */
    public static int[] ranks(int[] order, List<String> responses) {
        int[] ranks = new int[order.length];
        for (int position = 0; position < order.length; position++) {
            ranks[order[position]] = position;
        }
        for (int a = 0; a < ranks.length; a++) {
            for (int b = 0; b < ranks.length; b++) {
                if (responses.get(a).equals(responses.get(b))) {
                    ranks[a] = Math.min(ranks[a], ranks[b]);
                }
            }
        }
        return ranks;
    }

    /** The reward model starts from the SFT model with a scalar head in place of the unembedding. */
    public GPT rewardModel(GPT sft) {
        return sft.copy(config.seed() + 1, GPT.Head.SCORE);
    }

    public RewardModelTrainer.Result rm(GPT rm, Rankings rankings, List<Demonstration> demonstrations,
                                       Checkpoint resume, TrainingListener listener) {
        return new RewardModelTrainer(config.rm()).train(rm, rankings.train(), rankings.heldOut(), demonstrations,
                resume, listener);
    }

    public GPT policy(GPT sft) {
        return sft.copy(config.seed() + 2, GPT.Head.LM);
    }

    /** The value model starts from the reward model (paper section 3.5). */
    public GPT valueModel(GPT rm) {
        return rm.copy(config.seed() + 3, GPT.Head.SCORE);
    }

    /** PPO against the reward model, watched by the held-out labelers as it goes. */
    public PpoTrainer.Result ppo(GPT policy, GPT value, GPT sft, GPT rm, double labelerTemperature, Random rng,
                                 Checkpoint resume, TrainingListener listener) {
        List<int[]> train = prompts.sample(Split.TRAIN, config.ppo().prompts(), rng).stream().map(format::prompt).toList();
        LabelerPool heldOut = heldOutLabelers(labelerTemperature);
        PpoTrainer.RolloutObserver judge = (batch, responses) -> Map.of("heldout_score",
                heldOutScore(batch, responses, heldOut));
        return new PpoTrainer(config.ppo(), format).train(policy, value, sft, rm, train, List.of(), resume, listener, judge);
    }

    /**
     * DPO (Rafailov et al. 2023) of {@code policy}, a copy of the SFT model, on the rankings against
     * the frozen {@code sft}: in place of the reward model and PPO.
     */
    public DpoTrainer.Result dpo(GPT policy, GPT sft, Rankings rankings, Checkpoint resume, TrainingListener listener) {
        return new DpoTrainer(config.dpo(), format.tokenizer().pad()).train(policy, sft, rankings.train(),
                rankings.heldOut(), resume, listener);
    }

    /** Held-out prompts, temperature-1 samples of both policies, judged by the held-out labelers. */
    public Evaluator.Comparison evaluate(GPT ppo, GPT sft, double labelerTemperature, Random rng) {
        return evaluate(heldOutAnswers(ppo, sft, rng), labelerTemperature);
    }

    /** The held-out labelers' verdict on answers already given (the suite's prompts only). */
    public Evaluator.Comparison evaluate(HeldOutAnswers answers, double labelerTemperature) {
        List<SuitePrompt> asked = answers.prompts().stream().map(p -> SuitePrompt.parse(p).orElseThrow(
                () -> new IllegalArgumentException("the simulated judges know only the suite's prompts, not '" + p + "'")))
                .toList();
        return new Evaluator(asked, heldOutLabelers(labelerTemperature), config.seed()).compare(answers.ppo(), answers.sft());
    }

    /**
     * Where no judge can say which policy is better (a team's prompts, no people judging): how often
     * the reward model scores PPO's temperature-1 answer to a held-out prompt above SFT's, ties half.
     * A proxy that overstates, since PPO optimised exactly this score.
     */
    public WinRate rewardModelPreference(HeldOutAnswers answers, GPT rm) {
        List<int[]> asked = answers.prompts().stream().map(format::prompt).toList();
        float[] ppoScores = RewardModelTrainer.score(rm, asked, answers.ppo().stream().map(format::response).toList());
        float[] sftScores = RewardModelTrainer.score(rm, asked, answers.sft().stream().map(format::response).toList());
        double[] outcomes = new double[asked.size()];
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] = ppoScores[i] > sftScores[i] ? 1 : ppoScores[i] == sftScores[i] ? 0.5 : 0;
        }
        return WinRate.of(outcomes);
    }

    /**
     * How far the tuned policy moved from SFT, measured the same way whichever method tuned it: the
     * mean over the held-out prompts of log pi(y|x) - log pi_SFT(y|x) for the tuned policy's own
     * temperature-1 answer y, a Monte Carlo estimate of KL(pi || pi_SFT) in nats per answer (an answer
     * cut off at the length limit is scored with its end-of-text, a slight overstatement). The answers
     * are scored as their text encodes again: the sampled tokens, for the text a trained policy writes
     * (a random model's stray bytes that are not UTF-8 come back as other tokens, so there it is no
     * estimate at all). PPO's {@code kl} is the same estimate on its training rollouts; DPO has no
     * rollouts to report it on.
     */
    public double klToSft(HeldOutAnswers answers, GPT tuned, GPT sft) {
        List<Demonstration> asked = new ArrayList<>(answers.prompts().size());
        for (int i = 0; i < answers.prompts().size(); i++) {
            asked.add(Demonstration.of(format, answers.prompts().get(i), answers.ppo().get(i)));
        }
        int pad = format.tokenizer().pad();
        float[] policy = ResponseLogProbs.sums(tuned, asked, pad, SCORED_TOGETHER);
        float[] reference = ResponseLogProbs.sums(sft, asked, pad, SCORED_TOGETHER);
        double sum = 0;
        for (int i = 0; i < policy.length; i++) {
            sum += policy[i] - reference[i];
        }
        return policy.length == 0 ? Double.NaN : sum / policy.length;
    }

    /** Held-out prompts and each policy's temperature-1 answer to them, as judges compare them. */
    public record HeldOutAnswers(List<String> prompts, List<String> ppo, List<String> sft) {}

    /** The policy that answers: the tuned one (PPO's, or DPO's) or its SFT start, each with its own sampling seed. */
    public enum Author {
        TUNED(11), SFT(10);

        private final long seedOffset;

        Author(long seedOffset) {
            this.seedOffset = seedOffset;
        }
    }

    /**
     * What the evaluation asks before anyone answers: the held-out prompts, each answered once by each
     * author. Its units, each author's {@link ModelPolicy#CHUNK}-prompt chunks (the tuned policy's
     * first), are what a split of the answering is made of: any split gives the same answers.
     */
    public record HeldOutPlan(List<String> prompts) {

        public int chunks() {
            return ModelPolicy.chunks(prompts.size());
        }

        public int units() {
            return Author.values().length * chunks();
        }

        /** The first of {@code author}'s units; its chunks follow in order. */
        public int firstUnit(Author author) {
            return author.ordinal() * chunks();
        }
    }

    public HeldOutPlan heldOutPlan(Random rng) {
        return new HeldOutPlan(prompts.sample(Split.HELD_OUT, config.evalPrompts(), rng));
    }

    /** {@code author}'s temperature-1 answers ({@code model}) to the plan's prompts in its chunks [fromChunk, toChunk). */
    public List<String> answer(GPT model, Author author, HeldOutPlan plan, int fromChunk, int toChunk) {
        return new ModelPolicy(model, format, temperatureOne(), config.seed() + author.seedOffset)
                .complete(chunks(plan.prompts(), fromChunk, toChunk), fromChunk);
    }

    /** The plan's answers from every unit's answers in unit order: the tuned policy's, then SFT's. */
    public HeldOutAnswers heldOutAnswers(HeldOutPlan plan, List<String> answers) {
        int n = plan.prompts().size();
        if (answers.size() != 2 * n) {
            throw new IllegalArgumentException(2 * n + " answers to give, " + answers.size() + " given");
        }
        return new HeldOutAnswers(plan.prompts(), answers.subList(0, n), answers.subList(n, 2 * n));
    }

    public HeldOutAnswers heldOutAnswers(GPT ppo, GPT sft, Random rng) {
        HeldOutPlan plan = heldOutPlan(rng);
        return new HeldOutAnswers(plan.prompts(), answer(ppo, Author.TUNED, plan, 0, plan.chunks()),
                answer(sft, Author.SFT, plan, 0, plan.chunks()));
    }

    private LabelerPool heldOutLabelers(double temperature) {
        return LabelerPool.heldOut(config.labelers(), temperature, config.seed());
    }

    private List<Demonstration> demonstrate(List<SuitePrompt> prompts, Random rng) {
        SimulatedDemonstrator demonstrator = new SimulatedDemonstrator(config.demonstrators());
        List<Demonstration> out = new ArrayList<>(prompts.size());
        for (SuitePrompt p : prompts) {
            out.add(Demonstration.of(format, p.prompt(), demonstrator.demonstrate(p, rng)));
        }
        return out;
    }

    private static List<List<String>> perPrompt(List<String> flat, int k) {
        List<List<String>> out = new ArrayList<>(flat.size() / k);
        for (int i = 0; i < flat.size(); i += k) {
            out.add(List.copyOf(flat.subList(i, i + k)));
        }
        return out;
    }

    /** Pairs of different responses to the same suite prompt: what simulated labelers actually have to decide. */
    private static List<ResponsePair> distinctPairs(List<String> prompts, List<List<String>> samples) {
        List<ResponsePair> pairs = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            SuitePrompt prompt = SuitePrompt.parse(prompts.get(i)).orElse(null);
            if (prompt == null) {
                continue;
            }
            List<String> s = samples.get(i);
            for (int a = 0; a < s.size(); a++) {
                for (int b = a + 1; b < s.size(); b++) {
                    if (!s.get(a).equals(s.get(b))) {
                        pairs.add(new ResponsePair(prompt, s.get(a), s.get(b)));
                    }
                }
            }
        }
        return pairs;
    }

    private List<Comparison> rank(List<String> prompts, List<List<String>> samples, LabelerPool labelers, Random rng) {
        List<Comparison> out = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            List<String> responses = samples.get(i);
            SuitePrompt prompt = SuitePrompt.parse(prompts.get(i)).orElseThrow();
            int[] order = labelers.pick(rng).rank(prompt, responses, rng);
            out.add(new Comparison(format.prompt(prompts.get(i)),
                    responses.stream().map(format::response).toList(), ranks(order, responses)));
        }
        return out;
    }

    /** The held-out labelers' mean rubric score of PPO's own rollouts: falls when PPO reward-hacks. */
    private double heldOutScore(List<int[]> prompts, List<int[]> responses, LabelerPool heldOut) {
        double total = 0;
        int n = 0;
        for (int i = 0; i < prompts.size(); i++) {
            SuitePrompt prompt = SuitePrompt.parse(format.promptText(prompts.get(i))).orElse(null);
            if (prompt == null) {
                continue;
            }
            String response = format.responseText(responses.get(i));
            for (SimulatedLabeler labeler : heldOut.labelers()) {
                total += labeler.score(prompt, response);
                n++;
            }
        }
        return n == 0 ? Double.NaN : total / n;
    }
}
