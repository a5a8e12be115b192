package ai.instructflow.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.activities.metrics.StageMetric;
import ai.instructflow.activities.stages.PpoStage;
import ai.instructflow.api.Prometheus;
import ai.instructflow.trainer.eval.TaskReport;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.optim.AdamWConfig;
import ai.instructflow.trainer.pipeline.PipelineConfig;
import ai.instructflow.trainer.pipeline.Recipe;
import ai.instructflow.trainer.ppo.EarlyStop;
import ai.instructflow.trainer.ppo.PpoConfig;
import ai.instructflow.trainer.ppo.PpoTrainer;
import ai.instructflow.trainer.ppo.RewardHackingGuardConfig;
import ai.instructflow.trainer.rm.RewardModelConfig;
import ai.instructflow.trainer.sft.SftConfig;
import ai.instructflow.trainer.suite.DemonstratorConfig;
import ai.instructflow.trainer.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The reward-hacking drill: the recipe on the built-in suite, small enough for CI (SFT and RM in about
 * two minutes on two cores), then PPO at a learning rate known to hack (3e-4; the demo's is 2e-5),
 * once with the guard off and once with it on.
 *
 * <p>Unguarded, PPO games the reward model: the held-out labelers score its final policy below SFT.
 * That run's gauges, as Prometheus would have scraped them, go through the shipped alert rules in
 * Prometheus's own rule engine ({@code promtool test rules}), and the KL and reward-hacking alerts
 * must fire. Guarded, PPO stops itself, hands on the best policy it kept, and that policy must score
 * better with the held-out labelers than the unguarded one.
 */
class RewardHackingDrillTest {

    private static final Path RULES = Path.of("..", "helm", "instructflow", "files", "prometheus", "rules",
            "instructflow.rules.yml");
    private static final Path PROMETHEUS_CONFIG = Path.of("..", "infra", "monitoring", "prometheus", "prometheus.yml");
    /** Seconds one PPO iteration takes in the demo on this laptop (164 s for 50), the pace the series is laid out at. */
    private static final int ITERATION_SECONDS = 3;
    /** A stage's run-labelled gauges stay this long after its attempt ends (RunGauges). */
    private static final int LINGER_SECONDS = 120;
    private static final int ITERATIONS = 30;
    private static final float HACKING_LR = 3e-4f;

    @Test
    void unguardedPpoFiresTheAlertsAndTheGuardHandsOnABetterPolicy() throws Exception {
        AdamWConfig adam = AdamWConfig.defaults();
        PpoConfig ppo = new PpoConfig(ITERATIONS, 1000, 32, 16, 4, HACKING_LR, 1e-4f, 0.02f, false, 6f, 10_000f, 0.2f,
                0.2f, 1f, 0.95f, 0f, 16, 40, 1f, adam, 0, 3, RewardHackingGuardConfig.defaults());
        PipelineConfig config = new PipelineConfig("tiny", "cpu", 1, DemonstratorConfig.defaults(), 2000, 600, 100, 4, 8,
                200, new SftConfig(300, 32, 2e-3f, 30, 0.1f, adam, 0, 0, 1),
                new RewardModelConfig(200, 16, 5e-4f, 20, 0.1f, adam, 0, 0, 2), ppo, PipelineConfig.defaults().dpo());
        Recipe recipe = new Recipe(config);
        Random rng = new Random(config.seed());
        Recipe.Demonstrations demos = recipe.demonstrations(rng);
        try (GPT sft = recipe.baseModel()) {
            recipe.sft(sft, demos, null, TrainingListener.NONE);
            Recipe.Rankings rankings = recipe.rankings(sft, rng);
            try (GPT rm = recipe.rewardModel(sft)) {
                recipe.rm(rm, rankings, demos.train(), null, TrainingListener.NONE);
                Drill unguarded = ppo(recipe, ppo.withGuard(ppo.guard().withEnabled(false)), sft, rm, rankings);
                Drill guarded = ppo(recipe, ppo, sft, rm, rankings);
                System.out.printf("drill: SFT held-out score %.3f, unguarded PPO %.3f, guarded PPO %.3f (%s)%n",
                        unguarded.sft.meanScore(), unguarded.policy.meanScore(), guarded.policy.meanScore(),
                        guarded.result.earlyStop().describe());

                assertNull(unguarded.result.earlyStop(), "with the guard off PPO runs every iteration");
                assertEquals(ITERATIONS, unguarded.result.history().size());
                assertTrue(unguarded.policy.meanScore() < unguarded.sft.meanScore(),
                        "the drill hacks: unguarded PPO scores below SFT with the held-out labelers");

                EarlyStop stop = guarded.result.earlyStop();
                assertNotNull(stop, "the guard stops the drill");
                assertTrue(stop.iteration() < ITERATIONS && stop.handedOnIteration() <= stop.iteration(), stop.toString());
                assertTrue(guarded.policy.meanScore() > unguarded.policy.meanScore(),
                        "guarded " + guarded.policy.meanScore() + " against unguarded " + unguarded.policy.meanScore());

                alertsFire(unguarded.result.history());
            }
        }
    }

    private record Drill(PpoTrainer.Result result, TaskReport policy, TaskReport sft) {}

    private static Drill ppo(Recipe base, PpoConfig ppo, GPT sft, GPT rm, Recipe.Rankings rankings) {
        Recipe recipe = new Recipe(base.config().withPpo(ppo));
        try (GPT policy = recipe.policy(sft); GPT value = recipe.valueModel(rm)) {
            PpoTrainer.Result result = recipe.ppo(policy, value, sft, rm, rankings.labelerTemperature(), new Random(7),
                    null, TrainingListener.NONE);
            var verdict = recipe.evaluate(policy, sft, rankings.labelerTemperature(), new Random(8));
            return new Drill(result, verdict.a(), verdict.b());
        }
    }

    /**
     * The unguarded run's gauges as Prometheus scrapes them (the latest finished iteration at each
     * scrape, then gone {@link #LINGER_SECONDS} after the stage ends), evaluated by the shipped rules.
     */
    private static void alertsFire(List<Map<String, Double>> history) throws IOException, InterruptedException {
        int scrape = scrapeIntervalSeconds();
        int runSeconds = history.size() * ITERATION_SECONDS;
        int scrapes = (runSeconds + LINGER_SECONDS) / scrape;
        StringBuilder series = new StringBuilder();
        for (StageMetric metric : List.of(PpoStage.WINDOW_KL, PpoStage.HACKING_STREAK)) {
            String values = IntStream.rangeClosed(0, scrapes).mapToObj(i -> {
                int finished = Math.min(history.size(), i * scrape / ITERATION_SECONDS);
                return finished == 0 ? "_" : String.valueOf(history.get(finished - 1).get(metric.key()));
            }).collect(Collectors.joining(" "));
            series.append("      - series: '").append(metric.gauge()).append("{run=\"drill\",stage=\"ppo\"}'\n")
                    .append("        values: '").append(values).append(" stale'\n");
        }
        Path dir = Files.createTempDirectory("instructflow-drill-");
        Path test = dir.resolve("drill-test.yml");
        Files.writeString(test, """
                rule_files: ['%s']
                evaluation_interval: %ds
                tests:
                  - interval: %ds
                    input_series:
                %s
                    promql_expr_test:
                      - expr: max by (alertname, severity, run) (max_over_time(ALERTS{alertstate="firing"}[1h]))
                        eval_time: %ds
                        exp_samples:
                          - labels: '{alertname="PPOKLOverBudget",run="drill",severity="warning"}'
                            value: 1
                          - labels: '{alertname="PPORewardHacking",run="drill",severity="critical"}'
                            value: 1
                """.formatted(RULES.toAbsolutePath(), scrape, scrape, series.toString().stripTrailing(), scrapes * scrape));
        String out = Prometheus.promtool("test", "rules", test.toString());
        assertTrue(out.contains("SUCCESS"), out);
    }

    /** The scrape interval the shipped Prometheus config uses, so the drill's series is what it would have seen. */
    private static int scrapeIntervalSeconds() throws IOException {
        Matcher m = Pattern.compile("scrape_interval:\\s*(\\d+)s").matcher(Files.readString(PROMETHEUS_CONFIG));
        assertTrue(m.find(), "prometheus.yml states a scrape interval in seconds");
        return Integer.parseInt(m.group(1));
    }
}
