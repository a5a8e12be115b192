package ai.instructflow.activities.labeling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.instructflow.workflows.FieldError;
import ai.instructflow.workflows.labeling.LabelingKind;
import ai.instructflow.workflows.labeling.LabelingQueues;
import ai.instructflow.workflows.labeling.QueueSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a submission must say before it is stored, checked the same for people and simulated labelers. */
class LabelingClientTest {

    private static final List<LabelingTask> TASKS = List.of(
            new LabelingTask(0, LabelingTask.TRAIN, "upper: cat", List.of("CAT", "CAT", "cat", "Sure! CAT")));

    private static List<String> refused(boolean ties, String submissionId, int... ranks) {
        QueueSpec spec = new QueueSpec("r", "collect-comparisons", LabelingKind.RANKING, "p/", 1, 1, 1, 4, ties, 60, 0, false,
                null, LabelingQueues.HISTORY_LIMIT, null);
        return LabelingClient.validate(spec, TASKS, submissionId, List.of(new Label(0, "ann", null, ranks)))
                .stream().map(FieldError::field).toList();
    }

    @Test
    void aRankingIsAPermutationExceptBetweenIdenticalResponsesOrWhereTiesAreAllowed() {
        assertEquals(List.of(), refused(false, "s1", 1, 0, 3, 2));
        assertEquals(List.of(), refused(false, "s1", 0, 0, 2, 3), "responses 0 and 1 are the same text");
        assertEquals(List.of("ranks"), refused(false, "s1", 0, 1, 1, 3), "responses 1 and 2 differ");
        assertEquals(List.of(), refused(true, "s1", 0, 1, 1, 3));
        assertEquals(List.of("ranks"), refused(true, "s1", 1, 1, 2, 3), "something ranks best");
        assertEquals(List.of("ranks"), refused(false, "s1", 0, 1, 2, 4), "ranks stay within 0..K-1");
        assertEquals(List.of("ranks"), refused(false, "s1", 0, 1, 2), "every response is ranked");
        assertEquals(List.of("submission_id"), refused(false, "no spaces", 0, 1, 2, 3));
    }

    @Test
    void aDemonstrationIsNonEmptyTextWithinTheLimit() {
        QueueSpec spec = new QueueSpec("r", "collect-demonstrations", LabelingKind.DEMONSTRATION, "p/", 1, 1, 1, 0, false, 60, 0, false,
                null, LabelingQueues.HISTORY_LIMIT, null);
        List<LabelingTask> tasks = List.of(new LabelingTask(0, LabelingTask.TRAIN, "upper: cat", null));
        for (String bad : List.of(" ", "x".repeat(TextLimits.MAX_RESPONSE_CHARS + 1), "a" + (char) 0 + "b", String.valueOf((char) 0xD800))) {
            assertEquals(List.of("completion"), LabelingClient.validate(spec, tasks, "s",
                    List.of(new Label(0, "ann", bad, null))).stream().map(FieldError::field).toList(), bad);
        }
        assertEquals(List.of("task_id"), LabelingClient.validate(spec, tasks, "s",
                List.of(new Label(3, "ann", "CAT", null))).stream().map(FieldError::field).toList());
        assertEquals(List.of(), LabelingClient.validate(spec, tasks, "s", List.of(new Label(0, "ann", "CAT 🐱", null))));
    }
}
