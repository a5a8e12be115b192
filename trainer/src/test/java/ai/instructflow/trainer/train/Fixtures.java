package ai.instructflow.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.model.GPTConfig;
import ai.instructflow.trainer.suite.DemonstratorConfig;
import ai.instructflow.trainer.suite.SimulatedDemonstrator;
import ai.instructflow.trainer.suite.Split;
import ai.instructflow.trainer.suite.SuiteConfig;
import ai.instructflow.trainer.suite.SuitePrompt;
import ai.instructflow.trainer.suite.TaskSuite;
import ai.instructflow.trainer.tokenizer.ByteTokenizer;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small models and suite data shared by the trainer tests. */
public final class Fixtures {

    public static final PromptFormat FORMAT = new PromptFormat(new ByteTokenizer());

    private Fixtures() {}

    public static GPTConfig shape(float dropout) {
        return new GPTConfig(259, 32, 2, 4, 64, dropout);
    }

    public static List<Demonstration> demonstrations(int n, long seed) {
        TaskSuite suite = new TaskSuite(SuiteConfig.defaults(), 1);
        Random rng = new Random(seed);
        SimulatedDemonstrator demonstrator = new SimulatedDemonstrator(DemonstratorConfig.defaults());
        List<Demonstration> out = new ArrayList<>();
        for (SuitePrompt p : suite.sample(Split.TRAIN, n, rng)) {
            out.add(new Demonstration(FORMAT.prompt(p.prompt()), FORMAT.response(demonstrator.demonstrate(p, rng))));
        }
        return out;
    }

    /** A ranking of one-token responses to a one-token prompt, for the pairwise losses' hand-computed cases. */
    public static Comparison ranked(int... ranks) {
        List<int[]> responses = java.util.Arrays.stream(ranks).mapToObj(r -> new int[] {r}).toList();
        return new Comparison(new int[] {1}, responses, ranks);
    }

    /** log(1 + e^x), so that -log sigmoid(d) = softplus(-d) reads as in the losses' comments. */
    public static double softplus(double x) {
        return Math.log1p(Math.exp(x));
    }

    public static Map<String, float[]> weights(GPT model) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
            out.put(e.getKey(), e.getValue().toFloatArray());
        }
        return out;
    }

    /** Listener that keeps the checkpoint of one step and can cancel right after it. */
    public static final class Capture implements TrainingListener {
        private final long at;
        private final boolean cancelAfter;
        public Checkpoint checkpoint;
        public final List<Map<String, Double>> metrics = new ArrayList<>();

        public Capture(long at, boolean cancelAfter) {
            this.at = at;
            this.cancelAfter = cancelAfter;
        }

        @Override
        public void onStep(String stage, long step, long total, Map<String, Double> m) {
            metrics.add(m);
        }

        @Override
        public void onCheckpoint(String stage, long step, Checkpoint c) {
            if (step == at && checkpoint == null) {
                checkpoint = c;
            }
        }

        @Override
        public boolean cancelled() {
            return cancelAfter && checkpoint != null;
        }
    }
}
