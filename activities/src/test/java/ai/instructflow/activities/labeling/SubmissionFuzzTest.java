package ai.instructflow.activities.labeling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.workflows.FieldError;
import ai.instructflow.workflows.WellFormedText;
import ai.instructflow.workflows.labeling.LabelingKind;
import ai.instructflow.workflows.labeling.LabelingQueues;
import ai.instructflow.workflows.labeling.QueueSpec;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Any submission to any kind of queue is checked without an exception escaping, and one that
 * passes is a well-formed answer of that queue's kind, of a task the queue has: nothing else is ever
 * stored or counted.
 */
class SubmissionFuzzTest {

    private static final List<String> RESPONSES = List.of("CAT", "cat", "Sure! CAT", "CAT");

    private static QueueSpec queue(LabelingKind kind, int k) {
        return new QueueSpec("r", "stage", kind, "p/", 2, 1, 2, k, false, 60, 0, false, null,
                LabelingQueues.HISTORY_LIMIT, null);
    }

    private static List<LabelingTask> tasks(LabelingKind kind) {
        return switch (kind) {
            case DEMONSTRATION -> List.of(new LabelingTask(0, LabelingTask.TRAIN, "upper: cat", null),
                    new LabelingTask(1, LabelingTask.TRAIN, "upper: dog", null));
            case RANKING -> List.of(new LabelingTask(0, LabelingTask.TRAIN, "upper: cat", RESPONSES),
                    new LabelingTask(1, LabelingTask.HELD_OUT, "upper: dog", RESPONSES));
            case VERDICT -> List.of(
                    new LabelingTask(0, LabelingTask.HELD_OUT, "a bird", List.of("robin", "bird"), List.of("ppo", "sft")),
                    new LabelingTask(1, LabelingTask.HELD_OUT, "a tree", List.of("oak", "tree"), List.of("sft", "ppo")));
        };
    }

    @Provide
    Arbitrary<String> submissionIds() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(120),
                Arbitraries.strings().alpha().numeric().withChars('.', '_', '-').ofMinLength(1).ofMaxLength(100));
    }

    @Provide
    Arbitrary<List<Label>> labels() {
        Arbitrary<Integer> task = Arbitraries.oneOf(Arbitraries.integers().between(-2, 3), Arbitraries.integers());
        Arbitrary<String> completion = Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(60),
                Arbitraries.of("\u0000", "\ud800", " ", "x".repeat(TextLimits.MAX_RESPONSE_CHARS + 1)))
                .injectNull(0.3);
        Arbitrary<int[]> ranks = Arbitraries.integers().between(-1, 5).array(int[].class).ofMaxSize(6).injectNull(0.3);
        Arbitrary<VerdictChoice> choice = Arbitraries.of(VerdictChoice.class).injectNull(0.4);
        Arbitrary<int[]> ratings = Arbitraries.integers().between(-1, 9).array(int[].class).ofMaxSize(3).injectNull(0.5);
        return Combinators.combine(task, completion, ranks, choice, ratings)
                .as((t, c, r, v, g) -> new Label(t, "ann", c, r, v, g))
                .list().ofMinSize(0).ofMaxSize(3);
    }

    @Property(tries = 2000)
    void onlyAWellFormedAnswerOfAHeldTaskPasses(@ForAll LabelingKind kind, @ForAll("submissionIds") String submissionId,
                                                @ForAll("labels") List<Label> labels) {
        List<LabelingTask> tasks = tasks(kind);
        List<FieldError> errors = LabelingClient.validate(queue(kind, kind == LabelingKind.RANKING ? 4 : 0), tasks,
                submissionId, labels);
        errors.forEach(e -> assertTrue(e.field() != null && e.reason() != null && !e.reason().isBlank(), e.toString()));
        if (!errors.isEmpty()) {
            return;
        }
        assertTrue(submissionId.matches("[A-Za-z0-9._-]{1,100}"), submissionId);
        assertTrue(!labels.isEmpty());
        for (Label label : labels) {
            assertTrue(label.task() >= 0 && label.task() < tasks.size());
            switch (kind) {
                case DEMONSTRATION -> {
                    assertNotNull(label.completion());
                    assertTrue(!label.completion().isBlank() && WellFormedText.check(label.completion())
                            && label.completion().length() <= TextLimits.MAX_RESPONSE_CHARS);
                    assertTrue(label.ranks() == null && label.choice() == null && label.ratings() == null);
                }
                case RANKING -> {
                    assertEquals(RESPONSES.size(), label.ranks().length);
                    assertTrue(Arrays.stream(label.ranks()).allMatch(r -> r >= 0 && r < RESPONSES.size()));
                    assertTrue(Arrays.stream(label.ranks()).anyMatch(r -> r == 0));
                    assertTrue(label.completion() == null && label.choice() == null && label.ratings() == null);
                }
                case VERDICT -> {
                    assertNotNull(label.choice());
                    assertTrue(label.ratings() == null || (label.ratings().length == 2
                            && Arrays.stream(label.ratings()).allMatch(r -> r >= 1 && r <= 7)));
                    assertNull(label.completion());
                    assertNull(label.ranks());
                }
            }
        }
    }
}
