package ai.instructflow.activities.labeling;

import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.trainer.pipeline.Recipe;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import ai.instructflow.trainer.train.Demonstration;
import ai.instructflow.workflows.FieldError;
import ai.instructflow.workflows.WellFormedText;
import ai.instructflow.workflows.labeling.LabelingKind;
import ai.instructflow.workflows.labeling.QueueSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Demonstration tasks: a prompt, answered with the response the labeler would want (InstructGPT section 3.2). */
public final class DemonstrationTasks implements TaskKind<Demonstration> {

    @Override
    public LabelingKind kind() {
        return LabelingKind.DEMONSTRATION;
    }

    @Override
    public QueueTasks makeTasks(TaskSource source, List<String> generated) {
        Recipe.Prompts prompts = source.recipe().demonstrationPrompts(source.random());
        List<LabelingTask> tasks = new ArrayList<>();
        prompts.train().forEach(p -> tasks.add(new LabelingTask(0, LabelingTask.TRAIN, p, null)));
        prompts.heldOut().forEach(p -> tasks.add(new LabelingTask(0, LabelingTask.HELD_OUT, p, null)));
        return new QueueTasks(new QueueMeta(kind(), tasks.size(), 0, 0, RunStore.now()), tasks);
    }

    @Override
    public void check(QueueSpec queue, LabelingTask task, Label label, List<FieldError> errors) {
        String text = label.completion();
        if (text == null || text.isBlank()) {
            errors.add(new FieldError("completion", "is required: the response you would want the model to give"));
        } else if (text.length() > TextLimits.MAX_RESPONSE_CHARS) {
            errors.add(new FieldError("completion", "must be at most " + TextLimits.MAX_RESPONSE_CHARS
                    + " characters, got " + text.length()));
        } else if (!WellFormedText.check(text)) {
            errors.add(new FieldError("completion", WellFormedText.REASON));
        }
        label.refuseOthers(Set.of("completion"), "a demonstration task takes a completion", errors);
    }

    @Override
    public SimulatedAnswers simulated(Recipe recipe, QueueMeta meta) {
        return (name, labeler, task, rng) -> new Label(task.id(), name,
                recipe.demonstrate(SuiteTasks.prompt(task), rng), null);
    }

    @Override
    public Demonstration row(LabelingTask task, Label label, PromptFormat format) {
        return Demonstration.of(format, task.prompt(), label.completion());
    }

    @Override
    public Double agreement(List<LabelingTask> tasks, List<Label> labels) {
        return null;  // two good demonstrations may differ in every word
    }
}
