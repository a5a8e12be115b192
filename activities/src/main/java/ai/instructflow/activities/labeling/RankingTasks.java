package ai.instructflow.activities.labeling;

import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.pipeline.Recipe;
import ai.instructflow.trainer.suite.SimulatedLabeler;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import ai.instructflow.trainer.train.Comparison;
import ai.instructflow.workflows.FieldError;
import ai.instructflow.workflows.labeling.LabelingKind;
import ai.instructflow.workflows.labeling.QueueSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Ranking tasks: a prompt and K samples of the SFT policy, ranked best first (InstructGPT section
 * 3.2); ties only where the queue allows them or two responses are the same text. The samples are
 * generated in shards along the sampler's chunks, so any split of them gives the same tasks.
 */
public final class RankingTasks implements TaskKind<Comparison> {

    @Override
    public LabelingKind kind() {
        return LabelingKind.RANKING;
    }

    @Override
    public int shards(TaskSource source) {
        return Math.min(MAX_SHARDS, source.recipe().comparisonPlan(source.random()).chunks());
    }

    @Override
    public List<String> generate(TaskSource source, int shard, int count) {
        Recipe.ComparisonPlan plan = source.recipe().comparisonPlan(source.random());
        int chunks = plan.chunks();
        try (GPT sft = source.sft().get()) {
            return source.recipe().sample(sft, plan, shard * chunks / count, (shard + 1) * chunks / count);
        }
    }

    @Override
    public QueueTasks makeTasks(TaskSource source, List<String> generated) {
        Recipe recipe = source.recipe();
        Recipe.Samples samples = recipe.comparisonSamples(recipe.comparisonPlan(source.random()), generated);
        List<LabelingTask> tasks = new ArrayList<>();
        add(tasks, LabelingTask.TRAIN, samples.prompts().train(), samples.train());
        add(tasks, LabelingTask.HELD_OUT, samples.prompts().heldOut(), samples.heldOut());
        return new QueueTasks(new QueueMeta(kind(), tasks.size(), recipe.config().k(), samples.labelerTemperature(),
                RunStore.now()), tasks);
    }

    @Override
    public void check(QueueSpec queue, LabelingTask task, Label label, List<FieldError> errors) {
        int[] ranks = label.ranks();
        List<String> responses = task.responses();
        int k = responses.size();
        label.refuseOthers(Set.of("ranks"), "a ranking task takes ranks", errors);
        if (ranks == null || ranks.length != k) {
            errors.add(new FieldError("ranks", "must rank all " + k + " responses, one rank per response"));
            return;
        }
        boolean best = false;
        for (int r : ranks) {
            if (r < 0 || r >= k) {
                errors.add(new FieldError("ranks", "each rank must be between 0 (best) and " + (k - 1) + ", got " + r));
                return;
            }
            best |= r == 0;
        }
        for (int a = 0; a < k && !queue.ties(); a++) {
            for (int b = a + 1; b < k; b++) {
                if (ranks[a] == ranks[b] && !responses.get(a).equals(responses.get(b))) {
                    errors.add(new FieldError("ranks", "must be a permutation of 0.." + (k - 1)
                            + ": this queue allows ties only between identical responses"));
                    return;
                }
            }
        }
        if (!best) {
            errors.add(new FieldError("ranks", "some response must rank best (0)"));
        }
    }

    @Override
    public SimulatedAnswers simulated(Recipe recipe, QueueMeta meta) {
        List<SimulatedLabeler> rankers = recipe.trainingLabelers(meta.labelerTemperature()).labelers();
        return (name, labeler, task, rng) -> {
            int[] order = rankers.get(labeler).rank(SuiteTasks.prompt(task), task.responses(), rng);
            return new Label(task.id(), name, null, Recipe.ranks(order, task.responses()));
        };
    }

    @Override
    public Comparison row(LabelingTask task, Label label, PromptFormat format) {
        return new Comparison(format.prompt(task.prompt()), task.responses().stream().map(format::response).toList(),
                label.ranks());
    }

    @Override
    public Double agreement(List<LabelingTask> tasks, List<Label> labels) {
        return Agreement.of(tasks, labels).rate();
    }

    private static void add(List<LabelingTask> tasks, String split, List<String> prompts, List<List<String>> samples) {
        for (int i = 0; i < prompts.size(); i++) {
            tasks.add(new LabelingTask(0, split, prompts.get(i), List.copyOf(samples.get(i))));
        }
    }
}
