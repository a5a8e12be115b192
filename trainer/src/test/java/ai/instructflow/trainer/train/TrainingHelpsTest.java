package ai.instructflow.trainer.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.optim.AdamWConfig;
import ai.instructflow.trainer.ppo.PpoConfig;
import ai.instructflow.trainer.ppo.RewardHackingGuardConfig;
import ai.instructflow.trainer.ppo.PpoTrainer;
import ai.instructflow.trainer.rm.RewardModelConfig;
import ai.instructflow.trainer.rm.RewardModelTrainer;
import ai.instructflow.trainer.sft.SftConfig;
import ai.instructflow.trainer.sft.SftTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each trainer makes its model better at what it is trained for, on runs of seconds: a sign error in
 * a loss, the advantages or an update would turn one of these around.
 */
class TrainingHelpsTest {

    private static final AdamWConfig ADAM = AdamWConfig.defaults();
    private static final String SHORT = "ok";
    private static final String LONG = "ok, well, let me think about that for a while";

    @Test
    void sftLowersTheLossOnHeldOutDemonstrations() {
        List<Demonstration> train = Fixtures.demonstrations(128, 5);
        List<Demonstration> heldOut = Fixtures.demonstrations(32, 6);
        SftTrainer sft = new SftTrainer(new SftConfig(40, 16, 3e-3f, 4, 0.1f, ADAM, 0, 0, 9),
                Fixtures.FORMAT.tokenizer().pad());
        try (GPT model = GPT.create(Fixtures.shape(0f), Device.cpu(), 1, GPT.Head.LM)) {
            double before = sft.evalLoss(model, heldOut);
            sft.train(model, train, List.of(), null, TrainingListener.NONE);
            double after = sft.evalLoss(model, heldOut);
            assertTrue(after < 0.75 * before, "held-out loss " + before + " -> " + after);
        }
    }

    /**
     * A policy that says either answer, and labelers who prefer the short one: the RM learns the
     * preference, and PPO against that RM raises its reward (its rollouts shorten).
     */
    @Test
    void theRewardModelLearnsThePreferenceAndPpoMovesThePolicyTowardIt() {
        List<Comparison> rankings = new ArrayList<>();
        for (int i = 0; i < 96; i++) {
            boolean shortFirst = i % 2 == 0;
            rankings.add(new Comparison(Fixtures.FORMAT.prompt("say something " + i),
                    List.of(Fixtures.FORMAT.response(shortFirst ? SHORT : LONG), Fixtures.FORMAT.response(shortFirst ? LONG : SHORT)),
                    shortFirst ? new int[] {0, 1} : new int[] {1, 0}));
        }
        List<Comparison> train = rankings.subList(0, 80);
        List<Comparison> heldOut = rankings.subList(80, 96);
        List<Demonstration> both = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            both.add(new Demonstration(Fixtures.FORMAT.prompt("say something " + i),
                    Fixtures.FORMAT.response(i % 2 == 0 ? SHORT : LONG)));
        }
        try (GPT rm = GPT.create(Fixtures.shape(0f), Device.cpu(), 2, GPT.Head.SCORE);
             GPT sft = GPT.create(Fixtures.shape(0f), Device.cpu(), 1, GPT.Head.LM)) {
            RewardModelTrainer.Result r = new RewardModelTrainer(new RewardModelConfig(30, 8, 1e-3f, 3, 0.1f, ADAM, 0, 0, 3))
                    .train(rm, train, heldOut, List.of(), null, TrainingListener.NONE);
            assertTrue(r.heldOutAccuracy() > 0.9, "held-out accuracy " + r.heldOutAccuracy());
            new SftTrainer(new SftConfig(40, 16, 3e-3f, 4, 0.1f, ADAM, 0, 0, 9), Fixtures.FORMAT.tokenizer().pad())
                    .train(sft, both, List.of(), null, TrainingListener.NONE);

            PpoConfig config = new PpoConfig(8, 64, 16, 8, 2, 2e-3f, 1e-3f, 0.01f, false, 6f, 10_000f, 0.2f, 0.2f,
                    1f, 0.95f, 0f, 16, 16, 1f, ADAM, 0, 11, RewardHackingGuardConfig.defaults().withEnabled(false));
            List<int[]> prompts = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                prompts.add(Fixtures.FORMAT.prompt("say something " + (100 + i)));
            }
            List<Map<String, Double>> history;
            try (GPT policy = sft.copy(3, GPT.Head.LM); GPT value = rm.copy(4, GPT.Head.SCORE)) {
                history = new PpoTrainer(config, Fixtures.FORMAT).train(policy, value, sft, rm, prompts, List.of(), null,
                        TrainingListener.NONE, null).history();
            }
            double first = history.get(0).get("reward");
            double last = (history.get(6).get("reward") + history.get(7).get("reward")) / 2;
            assertTrue(last > first + 0.5, "reward " + first + " -> " + last + "; lengths "
                    + history.stream().map(h -> h.get("response_length")).toList());
        }
    }
}
