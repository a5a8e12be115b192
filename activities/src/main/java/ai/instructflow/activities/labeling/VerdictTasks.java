package ai.instructflow.activities.labeling;

import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.pipeline.Recipe;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import ai.instructflow.workflows.FieldError;
import ai.instructflow.workflows.Stage;
import ai.instructflow.workflows.labeling.LabelingKind;
import ai.instructflow.workflows.labeling.QueueSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Verdict tasks (InstructGPT section 4, figure 1): a held-out prompt and the answers of the PPO
 * policy and its SFT start, left and right in an order drawn per task that only storage knows. The
 * judge picks left, right or tie and may rate each answer 1 to 7, as the paper's labelers did.
 */
public final class VerdictTasks implements TaskKind<Verdict> {

    static final int MIN_RATING = 1;
    static final int MAX_RATING = 7;

    @Override
    public LabelingKind kind() {
        return LabelingKind.VERDICT;
    }

    /** The evaluation's answers, each author's chunks a unit, split into shards of whole units. */
    @Override
    public int shards(TaskSource source) {
        return Math.min(MAX_SHARDS, source.recipe().heldOutPlan(source.random()).units());
    }

    /** Shard {@code shard}'s units, each author's model loaded once and only where the shard has its units. */
    @Override
    public List<String> generate(TaskSource source, int shard, int count) {
        Recipe recipe = source.recipe();
        Recipe.HeldOutPlan plan = recipe.heldOutPlan(source.random());
        int from = shard * plan.units() / count;
        int to = (shard + 1) * plan.units() / count;
        List<String> answers = new ArrayList<>();
        for (Recipe.Author author : Recipe.Author.values()) {
            int own = plan.firstUnit(author);
            int first = Math.max(from, own);
            int last = Math.min(to, own + plan.chunks());
            if (first < last) {
                try (GPT model = author == Recipe.Author.SFT ? source.sft().get() : source.policy().get()) {
                    answers.addAll(recipe.answer(model, author, plan, first - own, last - own));
                }
            }
        }
        return answers;
    }

    @Override
    public QueueTasks makeTasks(TaskSource source, List<String> generated) {
        Recipe recipe = source.recipe();
        Recipe.HeldOutAnswers answers = recipe.heldOutAnswers(recipe.heldOutPlan(source.random()), generated);
        List<LabelingTask> tasks = new ArrayList<>();
        for (int i = 0; i < answers.prompts().size(); i++) {
            boolean ppoLeft = source.random().nextBoolean();
            String ppo = answers.ppo().get(i);
            String sft = answers.sft().get(i);
            tasks.add(new LabelingTask(0, LabelingTask.HELD_OUT, answers.prompts().get(i),
                    ppoLeft ? List.of(ppo, sft) : List.of(sft, ppo),
                    ppoLeft ? List.of(source.policyStage().id(), Stage.SFT.id()) : List.of(Stage.SFT.id(), source.policyStage().id())));
        }
        // no simulated person answers a verdict queue: no labeler temperature
        return new QueueTasks(new QueueMeta(kind(), tasks.size(), 2, 0, RunStore.now()), tasks);
    }

    @Override
    public void check(QueueSpec queue, LabelingTask task, Label label, List<FieldError> errors) {
        label.refuseOthers(Set.of("choice", "ratings"), "a verdict task takes a choice and optional ratings", errors);
        if (label.choice() == null) {
            errors.add(new FieldError("choice", "is required: left, right or tie"));
        }
        int[] ratings = label.ratings();
        if (ratings == null) {
            return;
        }
        if (ratings.length != 2) {
            errors.add(new FieldError("ratings", "rates both responses, left then right, got " + ratings.length));
            return;
        }
        for (int r : ratings) {
            if (r < MIN_RATING || r > MAX_RATING) {
                errors.add(new FieldError("ratings", "each rating is " + MIN_RATING + " (worst) to " + MAX_RATING
                        + " (best), got " + r));
                return;
            }
        }
    }

    /**
     * People judge: the simulated held-out labelers answer inside the evaluation itself, where they
     * see the whole suite's rubric rather than a queue's two texts.
     */
    @Override
    public SimulatedAnswers simulated(Recipe recipe, QueueMeta meta) {
        throw new UnsupportedOperationException("verdict queues are answered by people only");
    }

    @Override
    public Verdict row(LabelingTask task, Label label, PromptFormat format) {
        // the tuned policy (PPO's or DPO's) is the author that is not SFT
        int ppoSide = 1 - task.authors().indexOf(Stage.SFT.id());
        Verdict.Winner winner = switch (label.choice()) {
            case TIE -> Verdict.Winner.TIE;
            case LEFT -> ppoSide == 0 ? Verdict.Winner.PPO : Verdict.Winner.SFT;
            case RIGHT -> ppoSide == 1 ? Verdict.Winner.PPO : Verdict.Winner.SFT;
        };
        int[] ratings = label.ratings();
        return new Verdict(task.id(), task.prompt(), label.labeler(), winner,
                ratings == null ? null : ratings[ppoSide], ratings == null ? null : ratings[1 - ppoSide]);
    }

    /** The share of pairs of judges of one task who chose the same (a tie agreeing only with a tie). */
    @Override
    public Double agreement(List<LabelingTask> tasks, List<Label> labels) {
        Map<Integer, List<VerdictChoice>> byTask = new LinkedHashMap<>();
        labels.forEach(l -> byTask.computeIfAbsent(l.task(), t -> new ArrayList<>()).add(l.choice()));
        long pairs = 0;
        long agreed = 0;
        for (List<VerdictChoice> choices : byTask.values()) {
            for (int a = 0; a < choices.size(); a++) {
                for (int b = a + 1; b < choices.size(); b++) {
                    pairs++;
                    agreed += choices.get(a) == choices.get(b) ? 1 : 0;
                }
            }
        }
        return pairs == 0 ? null : (double) agreed / pairs;
    }
}
