package ai.instructflow.activities.stages;

import ai.instructflow.activities.TrainerSettings;
import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.trainer.eval.Evaluator;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.pipeline.PipelineReport;
import ai.instructflow.trainer.pipeline.Recipe;
import ai.instructflow.trainer.ppo.PpoTrainer;
import ai.instructflow.trainer.rm.RewardModelTrainer;
import ai.instructflow.trainer.sft.SftTrainer;
import ai.instructflow.trainer.train.Checkpoint;
import ai.instructflow.trainer.train.Comparison;
import ai.instructflow.trainer.train.Demonstration;
import ai.instructflow.workflows.Artifact;
import ai.instructflow.workflows.StageActivities;
import ai.instructflow.workflows.Stage;
import ai.instructflow.workflows.StageInput;
import ai.instructflow.workflows.StageResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The stages' own work, on the trainer's {@link Recipe}: each reads its inputs from object storage
 * (verified against their sha256), runs one step of the recipe and writes its artifacts back.
 * Model stages run on this worker's device.
 */
public final class StageActivitiesImpl implements StageActivities {

    private static final String CHECKPOINT = "application/octet-stream";
    private static final String JSONL = "application/x-ndjson";

    private final StageRunner runner;
    private final RunStore runs;
    private final String device;

    public StageActivitiesImpl(StageRunner runner, RunStore runs, String device) {
        this.runner = runner;
        this.runs = runs;
        this.device = device;
    }

    @Override
    public StageResult collectDemonstrations(StageInput in) {
        return runner.run(in, Stage.COLLECT_DEMONSTRATIONS, attempt -> {
            Recipe recipe = recipe(in);
            String dataset = in.spec().demonstrations().dataset();
            Recipe.Demonstrations demos = dataset == null
                    ? recipe.demonstrations(rng(in, Stage.COLLECT_DEMONSTRATIONS))
                    : imported(dataset, recipe);
            Artifact train = saveLines(attempt, in, Stage.COLLECT_DEMONSTRATIONS, "train", demos.train().size(),
                    out -> Datasets.writeDemonstrations(demos.train(), recipe.format(), out));
            Artifact eval = saveLines(attempt, in, Stage.COLLECT_DEMONSTRATIONS, "eval", demos.eval().size(),
                    out -> Datasets.writeDemonstrations(demos.eval(), recipe.format(), out));
            return new StageRunner.Output(List.of(train, eval), Map.of(
                    "demonstrations", (double) demos.train().size(), "held_out", (double) demos.eval().size()));
        });
    }

    @Override
    public StageResult supervisedFineTuning(StageInput in) {
        return runner.run(in, Stage.SFT, attempt -> {
            Recipe recipe = recipe(in);
            StageResult demos = in.input(Stage.COLLECT_DEMONSTRATIONS);
            Recipe.Demonstrations data = new Recipe.Demonstrations(demonstrations(attempt, demos.artifact("train"), recipe),
                    demonstrations(attempt, demos.artifact("eval"), recipe));
            try (GPT model = baseModel(in, recipe)) {
                SftTrainer.Result r = recipe.sft(model, data, attempt.resumeCheckpoint(), attempt);
                attempt.throwIfCancelled();
                return new StageRunner.Output(List.of(saveModel(attempt, in, Stage.SFT, "policy/", model), attempt.saveMetrics()),
                        metrics("train_loss", r.trainLoss(), "eval_loss", r.evalLoss(), "tokens_per_s", r.tokensPerSecond(),
                                "resumed_from_step", attempt.resumedFromStep()));
            }
        });
    }

    @Override
    public StageResult collectComparisons(StageInput in) {
        return runner.run(in, Stage.COLLECT_COMPARISONS, attempt -> {
            Recipe recipe = recipe(in);
            try (GPT sft = model(attempt, in.input(Stage.SFT), "policy/", recipe)) {
                Recipe.Rankings r = recipe.rankings(sft, rng(in, Stage.COLLECT_COMPARISONS));
                Artifact train = saveLines(attempt, in, Stage.COLLECT_COMPARISONS, "train", r.train().size(),
                        out -> Datasets.writeRankings(r.train(), recipe.format(), out));
                Artifact heldOut = saveLines(attempt, in, Stage.COLLECT_COMPARISONS, "held_out", r.heldOut().size(),
                        out -> Datasets.writeRankings(r.heldOut(), recipe.format(), out));
                return new StageRunner.Output(List.of(train, heldOut), metrics("rankings", r.train().size(),
                        "held_out", r.heldOut().size(), "labeler_temperature", r.labelerTemperature(),
                        "agreement", r.agreement()));
            }
        });
    }

    @Override
    public StageResult trainRewardModel(StageInput in) {
        return runner.run(in, Stage.RM, attempt -> {
            Recipe recipe = recipe(in);
            StageResult comparisons = in.input(Stage.COLLECT_COMPARISONS);
            Recipe.Rankings rankings = new Recipe.Rankings(rankings(attempt, comparisons.artifact("train"), recipe),
                    rankings(attempt, comparisons.artifact("held_out"), recipe),
                    comparisons.metrics().get("labeler_temperature"), comparisons.metrics().get("agreement"));
            List<Demonstration> demos = demonstrations(attempt,
                    in.input(Stage.COLLECT_DEMONSTRATIONS).artifact("train"), recipe);
            try (GPT sft = model(attempt, in.input(Stage.SFT), "policy/", recipe); GPT rm = recipe.rewardModel(sft)) {
                RewardModelTrainer.Result r = recipe.rm(rm, rankings, demos, attempt.resumeCheckpoint(), attempt);
                attempt.throwIfCancelled();
                return new StageRunner.Output(List.of(saveModel(attempt, in, Stage.RM, "rm/", rm), attempt.saveMetrics()),
                        metrics("loss", r.trainLoss(), "accuracy", r.trainAccuracy(), "heldout_accuracy", r.heldOutAccuracy(),
                                "bias", r.bias(), "agreement", rankings.agreement(),
                                "resumed_from_step", attempt.resumedFromStep()));
            }
        });
    }

    @Override
    public StageResult optimizePolicy(StageInput in) {
        return runner.run(in, Stage.PPO, attempt -> {
            Recipe recipe = recipe(in);
            double temperature = in.input(Stage.COLLECT_COMPARISONS).metrics().get("labeler_temperature");
            try (GPT sft = model(attempt, in.input(Stage.SFT), "policy/", recipe);
                 GPT rm = model(attempt, in.input(Stage.RM), "rm/", recipe);
                 GPT policy = recipe.policy(sft);
                 GPT value = recipe.valueModel(rm)) {
                PpoTrainer.Result r = recipe.ppo(policy, value, sft, rm, temperature, rng(in, Stage.PPO),
                        attempt.resumeCheckpoint(), attempt);
                attempt.throwIfCancelled();
                Map<String, Double> last = new LinkedHashMap<>(r.history().isEmpty() ? Map.of() : r.history().get(r.history().size() - 1));
                last.put("resumed_from_step", (double) attempt.resumedFromStep());
                return new StageRunner.Output(List.of(saveModel(attempt, in, Stage.PPO, "policy/", policy),
                        attempt.saveMetrics()), last);
            }
        });
    }

    @Override
    public StageResult evaluate(StageInput in) {
        return runner.run(in, Stage.EVALUATE, attempt -> {
            Recipe recipe = recipe(in);
            StageResult comparisons = in.input(Stage.COLLECT_COMPARISONS);
            StageResult rm = in.input(Stage.RM);
            try (GPT sft = model(attempt, in.input(Stage.SFT), "policy/", recipe);
                 GPT ppo = model(attempt, in.input(Stage.PPO), "policy/", recipe)) {
                Evaluator.Comparison verdict = recipe.evaluate(ppo, sft, comparisons.metrics().get("labeler_temperature"),
                        rng(in, Stage.EVALUATE));
                List<Map<String, Double>> ppoHistory = attempt.artifacts().load(in.input(Stage.PPO).artifact("metrics"),
                        MetricsHistory::read);
                PipelineReport report = new PipelineReport(recipe.config(), verdict.b(), verdict.a(),
                        rm.metrics().get("heldout_accuracy"), comparisons.metrics().get("agreement"), verdict.winRate(),
                        ppoHistory, secondsSinceStart(in.runId()));
                Artifact saved = attempt.artifacts().save("report", RunStore.stagePrefix(in.runId(), Stage.EVALUATE)
                        + "report.json", 0, out -> out.write(RunStore.JSON.writeValueAsBytes(report.toMap())), "application/json");
                Artifact text = attempt.artifacts().save("report_text", RunStore.stagePrefix(in.runId(), Stage.EVALUATE)
                        + "report.txt", 0, out -> out.write(report.toText().getBytes(StandardCharsets.UTF_8)), "text/plain");
                return new StageRunner.Output(List.of(saved, text), metrics("win_rate", verdict.winRate().rate(),
                        "win_rate_ci_low", verdict.winRate().ciLow(), "win_rate_ci_high", verdict.winRate().ciHigh(),
                        "sft_accuracy", verdict.b().exactAccuracy(), "ppo_accuracy", verdict.a().exactAccuracy()));
            }
        });
    }

    private Recipe recipe(StageInput in) {
        return new Recipe(TrainerSettings.pipeline(in.spec(), device));
    }

    /** One generator per stage, from the run's seed: a retried or resumed stage draws exactly what the first try drew. */
    private static Random rng(StageInput in, Stage stage) {
        return new Random(in.spec().seed() * 1_000_003L + stage.ordinal());
    }

    private Recipe.Demonstrations imported(String key, Recipe recipe) {
        List<Demonstration> all = userObject("demonstrations.dataset", key,
                in -> Datasets.readDemonstrations(in, recipe.format()));
        if (all.size() < 2) {
            throw new IllegalArgumentException("demonstrations.dataset: needs at least 2 demonstrations, has " + all.size());
        }
        // the last tenth (at most Recipe.EVAL_DEMONSTRATIONS) is held out for SFT's evaluation loss
        int held = Math.max(1, Math.min(Recipe.EVAL_DEMONSTRATIONS, all.size() / 10));
        return new Recipe.Demonstrations(all.subList(0, all.size() - held), all.subList(all.size() - held, all.size()));
    }

    private GPT baseModel(StageInput in, Recipe recipe) {
        String key = in.spec().baseCheckpoint();
        if (key == null) {
            return recipe.baseModel();
        }
        return userObject("base_checkpoint", key, Checkpoint::read).model("policy/", recipe.device());
    }

    /** An object the spec names by key, which the user put there: bad input, not a platform fault, when missing. */
    private <T> T userObject(String field, String key, ObjectStore.Reader<T> reader) {
        try {
            return runs.objects().read(key, reader);
        } catch (ObjectStore.NotFound e) {
            throw new IllegalArgumentException(field + ": no object '" + key + "' in bucket " + runs.objects().bucket());
        }
    }

    private static GPT model(StageAttempt attempt, StageResult stage, String prefix, Recipe recipe) {
        return attempt.artifacts().load(stage.artifact("model"), Checkpoint::read).model(prefix, recipe.device());
    }

    private static Artifact saveModel(StageAttempt attempt, StageInput in, Stage stage, String prefix, GPT model) {
        return attempt.artifacts().save("model", RunStore.stagePrefix(in.runId(), stage) + "model.ckpt", 0,
                out -> new Checkpoint().put("stage", stage.id()).putModel(prefix, model).write(out), CHECKPOINT);
    }

    private static List<Demonstration> demonstrations(StageAttempt attempt, Artifact artifact, Recipe recipe) {
        return attempt.artifacts().load(artifact, in -> Datasets.readDemonstrations(in, recipe.format()));
    }

    private static List<Comparison> rankings(StageAttempt attempt, Artifact artifact, Recipe recipe) {
        return attempt.artifacts().load(artifact, in -> Datasets.readComparisons(in, recipe.format()));
    }

    /** A dataset a stage wrote, as JSON lines beside its other artifacts. */
    private static Artifact saveLines(StageAttempt attempt, StageInput in, Stage stage, String name, long count,
                                      ObjectStore.Writer writer) {
        return attempt.artifacts().save(name, RunStore.stagePrefix(in.runId(), stage) + name + ".jsonl", count, writer, JSONL);
    }

    private double secondsSinceStart(String runId) {
        return runs.run(runId).map(r -> Duration.between(Instant.parse(r.startedAt()), Instant.now()).toMillis() / 1e3)
                .orElse(Double.NaN);
    }

    /** A metrics map from alternating names and numbers. */
    private static Map<String, Double> metrics(Object... pairs) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((String) pairs[i], ((Number) pairs[i + 1]).doubleValue());
        }
        return out;
    }
}
