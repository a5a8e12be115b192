package ai.instructflow.activities.labeling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.instructflow.workflows.FieldError;
import ai.instructflow.workflows.labeling.LabelingKind;
import ai.instructflow.workflows.labeling.LabelingQueues;
import ai.instructflow.workflows.labeling.QueueSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A verdict is checked, un-blinded by the stored authors, and judges' agreement counted on their choices. */
class VerdictTasksTest {

    private static final VerdictTasks KIND = TaskKinds.VERDICT;
    private static final QueueSpec QUEUE = new QueueSpec("r", "evaluate", LabelingKind.VERDICT, "p/", 2, 2, 2, 2, true,
            60, 0, false, null, LabelingQueues.HISTORY_LIMIT, null);
    /** PPO wrote the left answer of task 0 and the right answer of task 1. */
    private static final List<LabelingTask> TASKS = List.of(
            new LabelingTask(0, LabelingTask.HELD_OUT, "name a bird", List.of("a robin", "a bird"), List.of("ppo", "sft")),
            new LabelingTask(1, LabelingTask.HELD_OUT, "name a tree", List.of("tree", "an oak"), List.of("sft", "ppo")));

    private static Label verdict(int task, String judge, VerdictChoice choice, int[] ratings) {
        return new Label(task, judge, null, null, choice, ratings);
    }

    private static List<String> problems(Label label) {
        List<FieldError> errors = new ArrayList<>();
        KIND.check(QUEUE, TASKS.get(label.task()), label, errors);
        return errors.stream().map(e -> e.field() + ": " + e.reason()).toList();
    }

    @Test
    void aVerdictIsAChoiceWithOptionalRatingsOfBothAnswers() {
        assertEquals(List.of(), problems(verdict(0, "jane", VerdictChoice.TIE, null)));
        assertEquals(List.of(), problems(verdict(0, "jane", VerdictChoice.LEFT, new int[] {7, 1})));
        assertEquals(List.of("choice: is required: left, right or tie"), problems(verdict(0, "jane", null, null)));
        assertEquals(List.of("ratings: rates both responses, left then right, got 1"),
                problems(verdict(0, "jane", VerdictChoice.LEFT, new int[] {4})));
        assertEquals(List.of("ratings: each rating is 1 (worst) to 7 (best), got 8"),
                problems(verdict(0, "jane", VerdictChoice.LEFT, new int[] {8, 1})));
        assertEquals(List.of("ranks: a verdict task takes a choice and optional ratings, not ranks"),
                problems(new Label(0, "jane", null, new int[] {0, 1}, VerdictChoice.LEFT, null)));
    }

    @Test
    void theStoredAuthorsTurnLeftAndRightIntoPpoAndSft() {
        Verdict left = KIND.row(TASKS.get(0), verdict(0, "jane", VerdictChoice.LEFT, new int[] {6, 2}), null);
        assertEquals(Verdict.Winner.PPO, left.winner());
        assertEquals(6, left.ppoRating());
        assertEquals(2, left.sftRating());
        Verdict alsoLeft = KIND.row(TASKS.get(1), verdict(1, "jane", VerdictChoice.LEFT, new int[] {6, 2}), null);
        assertEquals(Verdict.Winner.SFT, alsoLeft.winner());
        assertEquals(2, alsoLeft.ppoRating());
        assertEquals(0.0, alsoLeft.ppoOutcome());
        Verdict tie = KIND.row(TASKS.get(1), verdict(1, "joe", VerdictChoice.TIE, null), null);
        assertEquals(0.5, tie.ppoOutcome());
        assertNull(tie.ppoRating());
    }

    @Test
    void judgesAgreeWhenTheyChoseTheSameOnOneTask() {
        assertNull(KIND.agreement(TASKS, List.of(verdict(0, "jane", VerdictChoice.LEFT, null))), "one judge: not measured");
        assertEquals(0.5, KIND.agreement(TASKS, List.of(
                verdict(0, "jane", VerdictChoice.LEFT, null), verdict(0, "joe", VerdictChoice.LEFT, null),
                verdict(1, "jane", VerdictChoice.LEFT, null), verdict(1, "joe", VerdictChoice.TIE, null))));
    }
}
