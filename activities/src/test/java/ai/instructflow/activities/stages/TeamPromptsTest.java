package ai.instructflow.activities.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.trainer.pipeline.TeamPool;
import ai.instructflow.trainer.suite.Split;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A team's prompt file: checked whole, each prompt once, and held-out prompts kept out of training. */
class TeamPromptsTest {

    private static TeamPrompts read(String jsonl) throws IOException {
        return Datasets.readPrompts(new ByteArrayInputStream(jsonl.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void repeatsCountOnceAndAPromptOnBothSidesStaysHeldOut() throws IOException {
        TeamPrompts prompts = read("""
                {"prompt": "summarise this memo", "tags": ["work"]}
                {"prompt": "write a haiku about rain", "split": "train"}
                {"prompt": "summarise this memo", "split": "train"}
                {"prompt": "explain recursion", "split": "held_out"}
                {"prompt": "write a haiku about rain", "split": "held_out"}
                """);
        assertEquals(List.of("summarise this memo"), prompts.train());
        assertEquals(List.of("explain recursion", "write a haiku about rain"), prompts.heldOut());
        assertEquals(2, prompts.duplicates());
    }

    @Test
    void aFileThatNamesNoSplitHoldsOutATenthTheSameWayEveryTime() throws IOException {
        StringBuilder file = new StringBuilder();
        IntStream.range(0, 500).forEach(i -> file.append("{\"prompt\": \"question number ").append(i).append("\"}\n"));
        TeamPrompts once = read(file.toString());
        TeamPrompts again = read(file.toString());
        assertEquals(once, again);
        assertEquals(500, once.train().size() + once.heldOut().size());
        assertTrue(once.heldOut().size() > 25 && once.heldOut().size() < 75, once.heldOut().size() + " held out");
    }

    @Test
    void badLinesAreNamedAndTheFileRefusedWhole() {
        DatasetException e = assertThrows(DatasetException.class, () -> read("""
                {"prompt": "fine", "split": "train"}
                {"prompt": "fine too", "split": "test"}
                {"prompt": "", "split": "held_out"}
                {"prompt": "tagged", "tags": "one"}
                {"prompt": "x", "colour": "red"}
                {"prompt": "nul \\u0000 inside"}
                """));
        assertEquals(List.of(2, 3, 4, 5, 6), e.lines().stream().map(DatasetException.BadLine::line).toList());
        assertTrue(e.lines().get(0).reason().contains("\"split\""), e.lines().get(0).reason());
        assertTrue(e.lines().get(3).reason().contains("colour"), e.lines().get(3).reason());
    }

    @Test
    void aFileNeedsPromptsOnBothSides() {
        DatasetException e = assertThrows(DatasetException.class,
                () -> read("{\"prompt\": \"a\", \"split\": \"train\"}\n{\"prompt\": \"b\", \"split\": \"train\"}\n"));
        assertTrue(e.getMessage().contains("held-out"), e.getMessage());
    }

    @Test
    void drawsNeverRepeatAPromptNorCrossTheSplit() {
        TeamPool pool = new TeamPool(List.of("a", "b", "c"), List.of("x", "y"));
        List<String> train = pool.sample(Split.TRAIN, 10, new Random(1));
        assertEquals(new HashSet<>(List.of("a", "b", "c")), new HashSet<>(train));
        assertEquals(3, train.size());
        List<String> heldOut = new ArrayList<>(pool.sample(Split.HELD_OUT, 1, new Random(2)));
        assertEquals(1, heldOut.size());
        assertTrue(List.of("x", "y").containsAll(heldOut));
    }
}
