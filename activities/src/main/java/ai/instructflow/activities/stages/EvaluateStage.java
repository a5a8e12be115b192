package ai.instructflow.activities.stages;

import ai.instructflow.activities.labeling.Collected;
import ai.instructflow.activities.labeling.QueueSettings;
import ai.instructflow.activities.labeling.TaskKind;
import ai.instructflow.activities.labeling.TaskKinds;
import ai.instructflow.activities.labeling.Verdict;
import ai.instructflow.activities.metrics.MetricValues;
import ai.instructflow.activities.metrics.SharedMetrics;
import ai.instructflow.activities.metrics.StageMetric;
import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.trainer.eval.Evaluator;
import ai.instructflow.trainer.eval.WinRate;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.pipeline.Method;
import ai.instructflow.trainer.pipeline.PipelineReport;
import ai.instructflow.trainer.pipeline.Recipe;
import ai.instructflow.workflows.Artifact;
import ai.instructflow.workflows.RunSpec;
import ai.instructflow.workflows.Stage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The verdict (InstructGPT section 4, figure 1): held-out labelers compare the tuned policy (PPO's,
 * or DPO's with {@code "method": "dpo"}) with its SFT start on held-out prompts; the report puts that
 * beside the RM's accuracy (DPO's implicit reward's) and the labelers' agreement. The judges are the
 * built-in suite's simulated held-out labelers, or people of the evaluation's group through a verdict
 * queue; on a team's prompts with no people judging, the report gives proxies and says so.
 */
public final class EvaluateStage implements CollectStage<Verdict> {

    public static final StageMetric WIN_RATE = StageMetric.of("win_rate", "win rate").percent().highlight()
            .summary("win_rate", "Win rate vs SFT").gauge("instructflow_eval_win_rate",
                    "Win rate of the PPO policy over its SFT start, judged by held-out labelers on held-out prompts");
    public static final StageMetric WIN_RATE_CI_LOW = StageMetric.of("win_rate_ci_low", "win rate, 95% low").percent()
            .summary("win_rate_ci_low", null);
    public static final StageMetric WIN_RATE_CI_HIGH = StageMetric.of("win_rate_ci_high", "win rate, 95% high").percent()
            .summary("win_rate_ci_high", null);
    /** The most any policy can expect to win over SFT from the simulated judges ({@code Evaluator.Comparison#ceiling}). */
    public static final StageMetric WIN_RATE_CEILING = StageMetric.of("win_rate_ceiling", "win rate ceiling").percent()
            .highlight();
    public static final StageMetric PPO_ACCURACY = StageMetric.of("ppo_accuracy", "PPO exact").percent().highlight();
    public static final StageMetric DPO_ACCURACY = StageMetric.of("dpo_accuracy", "DPO exact").percent().highlight();
    public static final StageMetric SFT_ACCURACY = StageMetric.of("sft_accuracy", "SFT exact").percent().highlight();
    public static final StageMetric RM_PREFERENCE = StageMetric.of("rm_preference", "RM prefers PPO (proxy)").percent()
            .highlight().summary("rm_preference", "RM prefers PPO (proxy)");
    public static final StageMetric RM_PREFERENCE_CI_LOW = StageMetric.of("rm_preference_ci_low", "RM preference, 95% low")
            .percent().summary("rm_preference_ci_low", null);
    public static final StageMetric RM_PREFERENCE_CI_HIGH = StageMetric.of("rm_preference_ci_high",
            "RM preference, 95% high").percent().summary("rm_preference_ci_high", null);
    public static final StageMetric KL_TO_SFT = StageMetric.of("kl_to_sft", "KL to SFT (nats)").highlight();
    public static final StageMetric JUDGE_AGREEMENT = StageMetric.of("judge_agreement", "judge agreement").percent()
            .highlight().summary("judge_agreement", "Judge agreement");

    /** Why a run on a team's prompts has no verdict, in its report. */
    static final String NO_JUDGE = "No person judged this run, and the simulated judges know only the built-in suite: "
            + "these are proxies. rm_preference is how often the reward model scores PPO's answer to a held-out prompt "
            + "above SFT's (it overstates: PPO optimised that score); kl_to_sft is how far PPO moved from SFT, in nats per "
            + "answer on its held-out answers.";

    @Override
    public Stage stage() {
        return Stage.EVALUATE;
    }

    @Override
    public TaskKind<Verdict> taskKind() {
        return TaskKinds.VERDICT;
    }

    /** People judge through a verdict queue; ties are a verdict of their own, so always allowed. */
    @Override
    public QueueSettings queue(RunSpec spec) {
        RunSpec.Evaluation e = spec.evaluation();
        return e.humanJudges() ? new QueueSettings(e.overlap(), e.quota(), e.deadlineMinutes(), e.leaseMinutes(), true)
                : null;
    }

    /** Every way of judging compares the two policies' answers to the held-out prompts, generated in shards. */
    @Override
    public boolean generates(RunSpec spec) {
        return true;
    }

    @Override
    public boolean simulated(RunSpec spec) {
        return false;
    }

    @Override
    public String group(RunSpec spec) {
        return spec.evaluation().group();
    }

    @Override
    public Map<String, Object> settings(RunSpec spec) {
        return PipelineStage.settingsOf("seed", spec.seed(), "evaluation", spec.evaluation(),
                "prompts", spec.prompts(), "labelers", spec.comparisons().labelers(),
                "max_new_tokens", spec.ppo().maxNewTokens());
    }

    @Override
    public List<StageMetric> metrics() {
        return List.of(WIN_RATE, WIN_RATE_CI_LOW, WIN_RATE_CI_HIGH, WIN_RATE_CEILING, PPO_ACCURACY, DPO_ACCURACY,
                SFT_ACCURACY, RM_PREFERENCE, RM_PREFERENCE_CI_LOW, RM_PREFERENCE_CI_HIGH, KL_TO_SFT, SharedMetrics.LABELS,
                SharedMetrics.LABELERS, SharedMetrics.TASKS, SharedMetrics.COMPLETED_TASKS, SharedMetrics.AVAILABLE, JUDGE_AGREEMENT);
    }

    @Override
    public StageRunner.Output run(StageWork work) {
        if (work.in().spec().evaluation().humanJudges()) {
            return byPeople(work);
        }
        return work.recipe().prompts().simulatable() ? judged(work) : proxy(work);
    }

    /** The held-out simulated labelers' verdict on the built-in suite. */
    private static StageRunner.Output judged(StageWork work) {
        Simulated simulated = simulatedVerdict(work);
        return new StageRunner.Output(saveReport(work, simulated.report().toMap(), simulated.report().toText()),
                simulated.metrics().map());
    }

    private record Simulated(PipelineReport report, MetricValues metrics) {}

    private static Simulated simulatedVerdict(StageWork work) {
        Recipe recipe = work.recipe();
        LabelerCalibration calibration = work.calibration();
        RunSpec spec = work.in().spec();
        Recipe.HeldOutAnswers answers = answers(work);
        Evaluator.Comparison verdict = recipe.evaluate(answers, calibration.labelerTemperature());
        double kl = klToSft(work, answers);
        PipelineReport report = new PipelineReport(recipe.config(), verdict.b(), verdict.a(), rmAccuracy(work),
                calibration.agreementOrNaN(), verdict.winRate(), verdict.ceiling(), policyHistory(work),
                secondsSinceStart(work), spec.method(), kl);
        return new Simulated(report, new MetricValues().put(KL_TO_SFT, kl)
                .put(WIN_RATE, verdict.winRate().rate()).put(WIN_RATE_CI_LOW, verdict.winRate().ciLow())
                .put(WIN_RATE_CI_HIGH, verdict.winRate().ciHigh()).put(WIN_RATE_CEILING, verdict.ceiling().rate())
                .put(SFT_ACCURACY, verdict.b().exactAccuracy())
                .put(spec.method() == Method.PPO ? PPO_ACCURACY : DPO_ACCURACY, verdict.a().exactAccuracy()));
    }

    /**
     * Both policies' answers to the held-out prompts, as the stage's shards generated them (the same
     * answers a verdict queue's people judge).
     */
    private static Recipe.HeldOutAnswers answers(StageWork work) {
        return work.recipe().heldOutAnswers(work.recipe().heldOutPlan(work.random()), work.generated(TaskKinds.VERDICT));
    }

    /** How far the tuned policy moved from SFT, measured on its held-out answers the same way for PPO and DPO. */
    private static double klToSft(StageWork work, Recipe.HeldOutAnswers answers) {
        try (GPT tuned = work.model(work.in().spec().policyStage(), "policy/"); GPT sft = work.model(Stage.SFT, "policy/")) {
            return work.recipe().klToSft(answers, tuned, sft);
        }
    }

    /** The people's verdict, and beside it the simulated judges' where they can judge these prompts. */
    private StageRunner.Output byPeople(StageWork work) {
        Collected labels = work.collected();
        List<Verdict> verdicts = new ArrayList<>();
        for (var label : labels.labels()) {
            verdicts.add(taskKind().row(labels.tasks().get(label.task()), label, work.recipe().format()));
        }
        PeoplesVerdict verdict = new PeoplesVerdict(work.in().spec().method(), group(work.in().spec()),
                labels.tasks().size(), verdicts, taskKind().agreement(labels.tasks(), labels.labels()));
        WinRate overall = verdict.overall();
        MetricValues metrics = new MetricValues().putAll(labels.metrics()).put(WIN_RATE, overall.rate())
                .put(WIN_RATE_CI_LOW, overall.ciLow()).put(WIN_RATE_CI_HIGH, overall.ciHigh());
        if (verdict.agreement() != null) {
            metrics.put(JUDGE_AGREEMENT, verdict.agreement());
        }
        Map<String, Object> report = verdict.toMap();
        report.put("rm_accuracy", rmAccuracy(work));
        StringBuilder text = new StringBuilder(verdict.toText());
        if (work.recipe().prompts().simulatable()) {
            Simulated simulated = simulatedVerdict(work);
            report.put("simulated", simulated.report().toMap());
            text.append(String.format(Locale.ROOT, "%nThe simulated held-out labelers, for comparison:%n%s",
                    simulated.report().toText()));
        }
        return new StageRunner.Output(saveReport(work, report, text.toString()), metrics.map());
    }

    /**
     * A team's prompts without judges: what can be measured, labelled as the proxy it is. PPO runs only:
     * the proxy is the reward model's preference, and a DPO run trains none (the validator refuses it).
     */
    private static StageRunner.Output proxy(StageWork work) {
        Recipe.HeldOutAnswers answers = answers(work);
        try (GPT rm = work.model(Stage.RM, "rm/")) {
            WinRate preference = work.recipe().rewardModelPreference(answers, rm);
            double kl = klToSft(work, answers);
            MetricValues metrics = new MetricValues().put(RM_PREFERENCE, preference.rate())
                    .put(RM_PREFERENCE_CI_LOW, preference.ciLow()).put(RM_PREFERENCE_CI_HIGH, preference.ciHigh())
                    .put(KL_TO_SFT, kl);
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("verdict", "proxy");
            report.put("note", NO_JUDGE);
            report.put("held_out_prompts", preference.n());
            report.put("rm_accuracy", rmAccuracy(work));
            report.putAll(metrics.map());
            String text = String.format(Locale.ROOT, "%s%n%nRM prefers PPO over SFT on %d held-out prompts: %s%n"
                    + "KL of PPO to SFT on its held-out answers: %.3f nats per answer%n", NO_JUDGE, preference.n(), preference, kl);
            return new StageRunner.Output(saveReport(work, report, text), metrics.map());
        }
    }

    /** The tuned policy's training metrics: PPO's per iteration, or DPO's per step. */
    private static List<Map<String, Double>> policyHistory(StageWork work) {
        return work.artifacts().load(work.in().input(work.in().spec().policyStage()).artifact("metrics"),
                MetricsHistory::read);
    }

    /** The held-out accuracy of the reward model, or of DPO's implicit reward (the policy is one, there). */
    private static double rmAccuracy(StageWork work) {
        return switch (work.in().spec().method()) {
            case PPO -> work.in().input(Stage.RM).metrics().get(RewardModelStage.HELDOUT_ACCURACY.key());
            case DPO -> work.in().input(Stage.DPO).metrics().get(DpoStage.HELDOUT_ACCURACY.key());
        };
    }

    /** The report as JSON and as text, the run's report artifacts. */
    private static List<Artifact> saveReport(StageWork work, Map<String, Object> json, String text) {
        return List.of(work.artifacts().save("report", work.key("report.json"), 0,
                        out -> out.write(RunStore.JSON.writeValueAsBytes(json)), "application/json"),
                work.artifacts().save("report_text", work.key("report.txt"), 0,
                        out -> out.write(text.getBytes(StandardCharsets.UTF_8)), "text/plain"));
    }

    private static double secondsSinceStart(StageWork work) {
        return work.runs().run(work.in().runId())
                .map(r -> Duration.between(Instant.parse(r.startedAt()), Instant.now()).toMillis() / 1e3)
                .orElse(Double.NaN);
    }
}
