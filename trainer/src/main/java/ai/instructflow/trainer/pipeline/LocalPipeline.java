package ai.instructflow.trainer.pipeline;

import ai.djl.Device;
import ai.instructflow.trainer.eval.Evaluator;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.model.Devices;
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
import ai.instructflow.trainer.tokenizer.PromptFormat;
import ai.instructflow.trainer.train.Comparison;
import ai.instructflow.trainer.train.Demonstration;
import ai.instructflow.trainer.train.TrainingListener;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The InstructGPT recipe in one process, with simulated people: demonstrations -> SFT ->
 * comparisons of SFT samples -> reward model -> PPO, then the held-out labelers judge the PPO
 * policy against its SFT start on held-out prompts. A development tool and the reference for what
 * the orchestrated platform runs stage by stage with the same trainer classes.
 */
public final class LocalPipeline {

    private final PipelineConfig config;
    private final PrintStream log;
    private final TrainingListener listener;
    private final PromptFormat format = new PromptFormat(new ByteTokenizer());

    public LocalPipeline(PipelineConfig config, PrintStream log) {
        this.config = config;
        this.log = log;
        this.listener = new ConsoleListener(log, 50);
    }

    public PipelineReport run() {
        long began = System.nanoTime();
        Device device = Devices.parse(config.device());
        TaskSuite suite = new TaskSuite(SuiteConfig.defaults(), config.seed());
        Random rng = new Random(config.seed());
        SimulatedDemonstrator demonstrator = new SimulatedDemonstrator(config.demonstrators());
        log.println(config.demonstrators().describe());

        // Step 1 (paper figure 2): demonstrations, then supervised fine-tuning.
        List<Demonstration> demos = demonstrate(suite.sample(Split.TRAIN, config.demonstrations(), rng), demonstrator, rng);
        List<Demonstration> evalDemos = demonstrate(suite.sample(Split.HELD_OUT, 200, rng), demonstrator, rng);
        GPTConfig shape = GPTConfig.preset(config.preset(), format.tokenizer().vocabSize());
        GPT sft = GPT.create(shape, device, config.seed(), GPT.Head.LM);
        SftTrainer.Result sftResult = new SftTrainer(config.sft(), format.tokenizer().pad())
                .train(sft, demos, evalDemos, null, listener);
        log.printf("[sft] done: train loss %.3f, eval loss %.3f, %.0f tokens/s%n",
                sftResult.trainLoss(), sftResult.evalLoss(), sftResult.tokensPerSecond());

        // Step 2: K samples per prompt from the SFT model, ranked by labelers; the reward model.
        List<SuitePrompt> rmPrompts = suite.sample(Split.TRAIN, config.comparisonPrompts(), rng);
        List<SuitePrompt> rmHeldOutPrompts = suite.sample(Split.HELD_OUT, config.heldOutComparisons(), rng);
        List<List<String>> samples = sampleK(sft, rmPrompts, rng);
        List<List<String>> heldOutSamples = sampleK(sft, rmHeldOutPrompts, rng);
        List<ResponsePair> pairs = distinctPairs(rmPrompts, samples);
        double temperature = LabelerPool.calibrate(pairs, LabelerPool.TARGET_AGREEMENT);
        LabelerPool labelers = LabelerPool.training(config.labelers(), temperature, config.seed());
        LabelerPool heldOutLabelers = LabelerPool.heldOut(config.labelers(), temperature, config.seed());
        double agreement = labelers.measureAgreement(pairs, new Random(config.seed()));
        List<Comparison> comparisons = rank(rmPrompts, samples, labelers, rng);
        List<Comparison> heldOutComparisons = rank(rmHeldOutPrompts, heldOutSamples, labelers, rng);
        log.printf("[comparisons] %d rankings of K=%d, labeler temperature %.3f, agreement %.1f%%%n",
                comparisons.size(), config.k(), temperature, 100 * agreement);
        GPT rm = sft.copy(config.seed() + 1, GPT.Head.SCORE);
        RewardModelTrainer.Result rmResult = new RewardModelTrainer(config.rm())
                .train(rm, comparisons, heldOutComparisons, demos, null, listener);
        log.printf("[rm] done: held-out accuracy %.1f%% (labeler agreement %.1f%%)%n",
                100 * rmResult.heldOutAccuracy(), 100 * agreement);

        // Step 3: PPO against the reward model, watched by the held-out labelers as it goes.
        List<int[]> ppoPrompts = suite.sample(Split.TRAIN, config.ppoPrompts(), rng).stream()
                .map(p -> format.prompt(p.prompt())).toList();
        GPT policy = sft.copy(config.seed() + 2, GPT.Head.LM);
        GPT value = rm.copy(config.seed() + 3, GPT.Head.SCORE);
        PpoTrainer.RolloutObserver judge = (prompts, responses) -> Map.of("heldout_score",
                heldOutScore(prompts, responses, heldOutLabelers));
        PpoTrainer.Result ppoResult = new PpoTrainer(config.ppo(), format)
                .train(policy, value, sft, rm, ppoPrompts, List.of(), null, new ConsoleListener(log, 1), judge);

        // Evaluation: held-out prompts, temperature-1 samples, held-out labelers.
        List<SuitePrompt> evalPrompts = suite.sample(Split.HELD_OUT, config.evalPrompts(), rng);
        Evaluator evaluator = new Evaluator(evalPrompts, heldOutLabelers, config.seed());
        Sampler.Config sampling = Sampler.Config.sample(1f, config.ppo().maxNewTokens());
        ModelPolicy sftPolicy = new ModelPolicy(sft, format, sampling, config.seed() + 10);
        ModelPolicy ppoPolicy = new ModelPolicy(policy, format, sampling, config.seed() + 11);
        Evaluator.Comparison verdict = evaluator.compare(ppoPolicy, sftPolicy);
        double seconds = (System.nanoTime() - began) / 1e9;
        for (GPT model : List.of(sft, rm, policy, value)) {
            model.close();
        }
        return new PipelineReport(config, verdict.b(), verdict.a(), rmResult.heldOutAccuracy(), agreement, verdict.winRate(),
                ppoResult.history(), seconds);
    }

    private List<Demonstration> demonstrate(List<SuitePrompt> prompts, SimulatedDemonstrator demonstrator, Random rng) {
        List<Demonstration> out = new ArrayList<>(prompts.size());
        for (SuitePrompt p : prompts) {
            out.add(new Demonstration(format.prompt(p.prompt()), format.response(demonstrator.demonstrate(p, rng))));
        }
        return out;
    }

    /** K temperature-1 samples per prompt from the SFT model, as the paper's comparison data. */
    private List<List<String>> sampleK(GPT sft, List<SuitePrompt> prompts, Random rng) {
        List<String> repeated = new ArrayList<>();
        for (SuitePrompt p : prompts) {
            for (int i = 0; i < config.k(); i++) {
                repeated.add(p.prompt());
            }
        }
        List<String> flat = new ModelPolicy(sft, format, Sampler.Config.sample(1f, config.ppo().maxNewTokens()),
                rng.nextLong()).complete(repeated);
        List<List<String>> out = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            out.add(flat.subList(i * config.k(), (i + 1) * config.k()));
        }
        return out;
    }

    /** Pairs of different responses to the same prompt: what labelers actually have to decide. */
    private static List<ResponsePair> distinctPairs(List<SuitePrompt> prompts, List<List<String>> samples) {
        List<ResponsePair> pairs = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            List<String> s = samples.get(i);
            for (int a = 0; a < s.size(); a++) {
                for (int b = a + 1; b < s.size(); b++) {
                    if (!s.get(a).equals(s.get(b))) {
                        pairs.add(new ResponsePair(prompts.get(i), s.get(a), s.get(b)));
                    }
                }
            }
        }
        return pairs;
    }

    private List<Comparison> rank(List<SuitePrompt> prompts, List<List<String>> samples, LabelerPool labelers, Random rng) {
        List<Comparison> out = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            List<String> responses = samples.get(i);
            int[] order = labelers.pick(rng).rank(prompts.get(i), responses, rng);
            int[] ranks = new int[order.length];
            for (int position = 0; position < order.length; position++) {
                ranks[order[position]] = position;
            }
            // Identical samples are a tie, as a labeler would mark them: no preference to learn.
            for (int a = 0; a < ranks.length; a++) {
                for (int b = 0; b < ranks.length; b++) {
                    if (responses.get(a).equals(responses.get(b))) {
                        ranks[a] = Math.min(ranks[a], ranks[b]);
                    }
                }
            }
            out.add(new Comparison(format.prompt(prompts.get(i).prompt()),
                    responses.stream().map(format::response).toList(), ranks));
        }
        return out;
    }

    /** The held-out labelers' mean rubric score of PPO's own rollouts: falls when PPO reward-hacks. */
    private double heldOutScore(List<int[]> prompts, List<int[]> responses, LabelerPool heldOut) {
        double total = 0;
        int n = 0;
        for (int i = 0; i < prompts.size(); i++) {
            String promptText = format.responseText(java.util.Arrays.copyOfRange(prompts.get(i), 1, prompts.get(i).length));
            SuitePrompt prompt = SuitePrompt.parse(promptText).orElse(null);
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
