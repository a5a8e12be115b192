package ai.instructflow.trainer.pipeline;

import ai.instructflow.trainer.eval.Evaluator;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.ppo.PpoTrainer;
import ai.instructflow.trainer.rm.RewardModelTrainer;
import ai.instructflow.trainer.sft.SftTrainer;
import ai.instructflow.trainer.train.TrainingListener;
import java.io.PrintStream;
import java.util.List;
import java.util.Random;

/**
 * The InstructGPT recipe in one process, with simulated people: demonstrations -> SFT ->
 * comparisons of SFT samples -> reward model -> PPO, then the held-out labelers judge the PPO
 * policy against its SFT start on held-out prompts. A development tool and the reference for what
 * the orchestrated platform runs stage by stage with the same {@link Recipe}.
 */
public final class LocalPipeline {

    private final PipelineConfig config;
    private final PrintStream log;
    private final TrainingListener listener;

    public LocalPipeline(PipelineConfig config, PrintStream log) {
        this.config = config;
        this.log = log;
        this.listener = new ConsoleListener(log, 50);
    }

    public PipelineReport run() {
        long began = System.nanoTime();
        Recipe recipe = new Recipe(config);
        Random rng = new Random(config.seed());
        log.println(config.demonstrators().describe());

        // Step 1 (paper figure 2): demonstrations, then supervised fine-tuning.
        Recipe.Demonstrations demos = recipe.demonstrations(rng);
        GPT sft = recipe.baseModel();
        SftTrainer.Result sftResult = recipe.sft(sft, demos, null, listener);
        log.printf("[sft] done: train loss %.3f, eval loss %.3f, %.0f tokens/s%n",
                sftResult.trainLoss(), sftResult.evalLoss(), sftResult.tokensPerSecond());

        // Step 2: K samples per prompt from the SFT model, ranked by labelers; the reward model.
        Recipe.Rankings rankings = recipe.rankings(sft, rng);
        log.printf("[comparisons] %d rankings of K=%d, labeler temperature %.3f, agreement %.1f%%%n",
                rankings.train().size(), config.k(), rankings.labelerTemperature(), 100 * rankings.agreement());
        GPT rm = recipe.rewardModel(sft);
        RewardModelTrainer.Result rmResult = recipe.rm(rm, rankings, demos.train(), null, listener);
        log.printf("[rm] done: held-out accuracy %.1f%% (labeler agreement %.1f%%)%n",
                100 * rmResult.heldOutAccuracy(), 100 * rankings.agreement());

        // Step 3: PPO against the reward model, watched by the held-out labelers as it goes.
        GPT policy = recipe.policy(sft);
        GPT value = recipe.valueModel(rm);
        PpoTrainer.Result ppoResult = recipe.ppo(policy, value, sft, rm, rankings.labelerTemperature(), rng, null,
                new ConsoleListener(log, 1));
        if (ppoResult.earlyStop() != null) {
            log.println("[ppo] " + ppoResult.earlyStop().describe());
        }

        Recipe.HeldOutAnswers answers = recipe.heldOutAnswers(policy, sft, rng);
        Evaluator.Comparison verdict = recipe.evaluate(answers, rankings.labelerTemperature());
        double klToSft = recipe.klToSft(answers, policy, sft);
        double seconds = (System.nanoTime() - began) / 1e9;
        for (GPT model : List.of(sft, rm, policy, value)) {
            model.close();
        }
        return new PipelineReport(config, verdict.b(), verdict.a(), rmResult.heldOutAccuracy(), rankings.agreement(),
                verdict.winRate(), verdict.ceiling(), ppoResult.history(), seconds, Method.PPO, klToSft);
    }
}
