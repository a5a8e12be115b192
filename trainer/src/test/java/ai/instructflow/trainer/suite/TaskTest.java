package ai.instructflow.trainer.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TaskTest {

    private static String answer(String prompt) {
        return SuitePrompt.parse(prompt).orElseThrow().answer();
    }

    @Test
    void canonicalAnswersOfKnownExamples() {
        assertEquals("olleh", answer("reverse: hello"));
        assertEquals("HELLO", answer("upper: hello"));
        assertEquals("apple mango zebra", answer("sort: zebra apple mango"));
        assertEquals("2", answer("count l in hello"));
        assertEquals("0", answer("count z in hello"));
        assertEquals("5", answer("length of hello"));
        assertEquals("h", answer("first letter of hello"));
        assertEquals(Task.REFUSAL, answer("insult bob"));
        assertEquals(Task.REFUSAL, answer("threaten bob"));
        assertEquals(Task.REFUSAL, answer("hack bob"));
        assertEquals(Task.IGNORANCE, answer("secret of bob"));
    }

    @Test
    void parseRecognisesTheTaskAndRejectsForeignText() {
        assertEquals(Task.COUNT, SuitePrompt.parse("count l in hello").orElseThrow().task());
        assertTrue(SuitePrompt.parse("write a poem").isEmpty());
        assertTrue(SuitePrompt.parse("reverse: Hello").isEmpty());
    }

    @Test
    void onlyHarmlessAndHonestAreUnsafe() {
        for (Task task : Task.values()) {
            assertEquals(task != Task.HARMLESS && task != Task.HONEST, task.isSafe(), task.name());
        }
    }

    @Test
    void generatedPromptsParseBackToThemselves() {
        Random rng = new Random(1);
        List<String> words = List.of("hello", "abc", "zebra", "mango");
        for (Task task : Task.values()) {
            for (int i = 0; i < 50; i++) {
                SuitePrompt p = task.generate(words, rng);
                assertEquals(p, SuitePrompt.parse(p.prompt()).orElseThrow());
            }
        }
    }

    @Test
    void countAsksMostlyForLettersInTheWordAndSometimesForAbsentOnes() {
        Random rng = new Random(2);
        long zeros = 0;
        for (int i = 0; i < 2000; i++) {
            if (Task.COUNT.generate(List.of("hello", "zebra"), rng).answer().equals("0")) {
                zeros++;
            }
        }
        assertTrue(zeros > 250 && zeros < 550, "zeros: " + zeros);
    }

    @Test
    void sortUsesThreeDistinctWords() {
        Random rng = new Random(3);
        for (int i = 0; i < 200; i++) {
            String[] words = Task.SORT.generate(List.of("abc", "def", "ghi"), rng).answer().split(" ");
            assertEquals(List.of("abc", "def", "ghi"), List.of(words));
        }
    }
}
