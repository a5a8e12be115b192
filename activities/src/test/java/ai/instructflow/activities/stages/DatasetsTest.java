package ai.instructflow.activities.stages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.activities.labeling.TextLimits;
import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.trainer.tokenizer.ByteTokenizer;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import ai.instructflow.trainer.train.Comparison;
import ai.instructflow.trainer.train.Demonstration;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetsTest {

    private static final PromptFormat FORMAT = new PromptFormat(new ByteTokenizer());

    @Test
    void rankingsAndPreferencePairsBothReadAsComparisons() throws IOException {
        List<Comparison> read = Datasets.readComparisons(utf8("""
                {"prompt": "add 2 and 3", "responses": ["5", "6", "five"], "ranks": [0, 2, 0]}
                {"prompt": "say hi", "chosen": "hi", "rejected": "go away"}
                """), FORMAT, Datasets.Origin.PEOPLE);

        assertEquals(2, read.size());
        Comparison ranking = read.get(0);
        assertEquals("add 2 and 3", FORMAT.promptText(ranking.prompt()));
        assertEquals(List.of("5", "6", "five"), texts(ranking));
        assertArrayEquals(new int[] {0, 2, 0}, ranking.ranks());
        Comparison pair = read.get(1);
        assertEquals("say hi", FORMAT.promptText(pair.prompt()));
        assertEquals(List.of("hi", "go away"), texts(pair));
        assertArrayEquals(new int[] {0, 1}, pair.ranks());
    }

    @Test
    void aFileWithBadLinesIsRefusedWholeNamingEachLine() {
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.readComparisons(utf8("""
                {"prompt": "p1", "chosen": "a", "rejected": "b"}
                {"prompt": "p2", "chosen": "a",
                {"prompt": "p3", "responses": ["a", "b"], "ranks": [1, 0]}
                {"prompt": "", "chosen": "a", "rejected": "b"}

                {"prompt": "p6", "responses": ["a", "b"], "ranks": [0]}
                ["not", "an", "object"]
                {"prompt": "p8", "chosen": "a", "rejected": "b", "responses": ["a", "b"], "ranks": [0, 1]}
                {"prompt": "p9", "text": "neither shape"}
                {"prompt": "p10", "chosen": 3, "rejected": "b"}
                {"prompt": "p11", "chosen": "a", "rejected": "b"} {"prompt": "p11b"}
                """), FORMAT, Datasets.Origin.PEOPLE));

        assertEquals(List.of(2, 4, 6, 7, 8, 9, 10, 11), e.lines().stream().map(DatasetException.BadLine::line).toList(),
                e.getMessage());
        assertEquals(8, e.badLines());
        assertTrue(reason(e, 2).startsWith("not valid JSON"), reason(e, 2));
        assertEquals("\"prompt\" must not be empty", reason(e, 4));
        assertEquals("\"responses\" has 2 entries but \"ranks\" has 1", reason(e, 6));
        assertEquals("must be a JSON object", reason(e, 7));
        assertTrue(reason(e, 8).startsWith("has both a ranking"), reason(e, 8));
        assertTrue(reason(e, 9).startsWith("needs \"responses\" and \"ranks\", or \"chosen\" and \"rejected\""), reason(e, 9));
        assertEquals("\"chosen\" must be a string", reason(e, 10));
        assertTrue(reason(e, 11).startsWith("not valid JSON"), reason(e, 11));
        // still the IllegalArgumentException the stages map to a non-retryable invalid-input failure
        assertTrue(e instanceof IllegalArgumentException);
        assertTrue(e.getMessage().contains("line 6: \"responses\" has 2 entries"), e.getMessage());
    }

    @Test
    void invalidUtf8IsReportedWithItsLineWhileValidMultibyteTextReadsBack() throws IOException {
        byte[] good = "{\"prompt\": \"caf\u00e9 \u2615\", \"completion\": \"\u00fcber \uD83D\uDE00\"}\n"
                .getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(good);
        file.write("{\"prompt\": \"bad ".getBytes(StandardCharsets.UTF_8));
        file.write(new byte[] {(byte) 0xC3, (byte) 0x28});  // a two-byte lead followed by an ASCII byte
        file.write("\", \"completion\": \"x\"}\n".getBytes(StandardCharsets.UTF_8));

        DatasetException e = assertThrows(DatasetException.class,
                () -> Datasets.readDemonstrations(new ByteArrayInputStream(file.toByteArray()), FORMAT, Datasets.Origin.PEOPLE));
        assertEquals(List.of(new DatasetException.BadLine(2, "not valid UTF-8")), e.lines());

        Demonstration read = Datasets.readDemonstrations(new ByteArrayInputStream(good), FORMAT, Datasets.Origin.PEOPLE).get(0);
        assertEquals("caf\u00e9 \u2615", FORMAT.promptText(read.prompt()));
        assertEquals("\u00fcber \uD83D\uDE00", FORMAT.responseText(read.response()));
    }

    @Test
    void textOverTheLimitsIsRefusedAndTextAtThemIsNot() throws IOException {
        String longestPrompt = "p".repeat(TextLimits.MAX_PROMPT_CHARS);
        String longestResponse = "r".repeat(TextLimits.MAX_RESPONSE_CHARS);
        assertEquals(1, Datasets.readDemonstrations(utf8(demonstration(longestPrompt, longestResponse)), FORMAT, Datasets.Origin.PEOPLE).size());

        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.readDemonstrations(utf8(
                demonstration(longestPrompt + "p", "ok") + demonstration("ok", longestResponse + "r")), FORMAT, Datasets.Origin.PEOPLE));
        assertEquals("\"prompt\" has 2001 chars, more than the 2000 allowed", reason(e, 1));
        assertEquals("\"completion\" has 4001 chars, more than the 4000 allowed", reason(e, 2));

        e = assertThrows(DatasetException.class, () -> Datasets.readComparisons(utf8(
                "{\"prompt\": \"p\", \"responses\": [\"a\", \"" + longestResponse + "r\"], \"ranks\": [0, 1]}\n"), FORMAT, Datasets.Origin.PEOPLE));
        assertEquals("\"responses[1]\" has 4001 chars, more than the 4000 allowed", reason(e, 1));
    }

    @Test
    void ranksOutsideZeroToKMinusOneAndRankingsOfTheWrongSizeAreRefused() {
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.readComparisons(utf8("""
                {"prompt": "p", "responses": ["a", "b", "c", "d"], "ranks": [0, 1, 2, 4]}
                {"prompt": "p", "responses": ["a", "b"], "ranks": [-1, 0]}
                {"prompt": "p", "responses": ["a", "b"], "ranks": [0, 0.5]}
                {"prompt": "p", "responses": ["a", "b"], "ranks": [0, "1"]}
                {"prompt": "p", "responses": ["a"], "ranks": [0]}
                {"prompt": "p", "responses": ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"], "ranks": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]}
                {"prompt": "p", "responses": ["a", "b", "c", "d", "e", "f", "g", "h", "i"], "ranks": [8, 7, 6, 5, 4, 3, 2, 1, 0]}
                """), FORMAT, Datasets.Origin.PEOPLE));

        assertEquals(List.of(1, 2, 3, 4, 5, 6), e.lines().stream().map(DatasetException.BadLine::line).toList(),
                e.getMessage());
        assertEquals("\"ranks[3]\" must be an integer from 0 to 3, got 4", reason(e, 1));
        assertEquals("\"ranks[0]\" must be an integer from 0 to 1, got -1", reason(e, 2));
        assertEquals("\"ranks[1]\" must be an integer from 0 to 1, got 0.5", reason(e, 3));
        assertEquals("\"ranks[1]\" must be an integer from 0 to 1, got \"1\"", reason(e, 4));
        assertEquals("a ranking needs 2 to 9 responses, has 1", reason(e, 5));
        assertEquals("a ranking needs 2 to 9 responses, has 10", reason(e, 6));
    }

    @Test
    void aRankingWithoutABestIsRefused() throws IOException {
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.readComparisons(utf8("""
                {"prompt": "p", "responses": ["a", "b", "c"], "ranks": [1, 2, 1]}
                """), FORMAT, Datasets.Origin.STAGE));
        assertEquals("\"ranks\" must rank some response best (0)", reason(e, 1));
        assertEquals(1, Datasets.readComparisons(utf8("""
                {"prompt": "p", "responses": ["a", "b", "c"], "ranks": [1, 0, 1]}
                """), FORMAT, Datasets.Origin.STAGE).size());
    }

    @Test
    void peoplesTextMustBeWellFormedWhileAStagesSamplesMayHoldAnyCharacter() throws IOException {
        String nul = "{\"prompt\": \"p\", \"completion\": \"a\\u0000b\"}\n";
        String loneSurrogate = "{\"prompt\": \"p\", \"chosen\": \"a\\ud800\", \"rejected\": \"b\"}\n";
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.countDemonstrations(utf8(nul), FORMAT));
        assertEquals("\"completion\" must be valid UTF-8 text without NUL characters", reason(e, 1));
        e = assertThrows(DatasetException.class, () -> Datasets.countComparisons(utf8(loneSurrogate), FORMAT));
        assertEquals("\"chosen\" must be valid UTF-8 text without NUL characters", reason(e, 1));
        assertEquals("a\u0000b", FORMAT.responseText(
                Datasets.readDemonstrations(utf8(nul), FORMAT, Datasets.Origin.STAGE).get(0).response()));
    }

    @Test
    void anEmptyFileHasNoRows() {
        for (String empty : List.of("", "\n  \n\n")) {
            DatasetException e = assertThrows(DatasetException.class, () -> Datasets.readDemonstrations(utf8(empty), FORMAT, Datasets.Origin.PEOPLE));
            assertEquals(List.of(), e.lines());
            assertTrue(e.getMessage().endsWith("no rows"), e.getMessage());
        }
    }

    @Test
    void everyBadLineIsCountedButOnlyTheFirstTwentyAreListed() {
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            file.append("{\"prompt\": \"p\"}\n");
        }
        DatasetException e = assertThrows(DatasetException.class,
                () -> Datasets.countDemonstrations(utf8(file.toString()), FORMAT));
        assertEquals(50, e.badLines());
        assertEquals(20, e.lines().size());
        assertEquals(20, e.lines().get(19).line());
        assertTrue(e.getMessage().contains("50 bad line(s), the first 20"), e.getMessage());
    }

    @Test
    void demonstrationsAndRankingsSurviveAWriteAndReadBack() throws IOException {
        List<Demonstration> demos = List.of(
                new Demonstration(FORMAT.prompt("translate \"cat\" to French"), FORMAT.response("chat")),
                new Demonstration(FORMAT.prompt("\u00e9t\u00e9?"), FORMAT.response("")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Datasets.writeDemonstrations(demos, FORMAT, out);
        List<Demonstration> back = Datasets.readDemonstrations(new ByteArrayInputStream(out.toByteArray()), FORMAT, Datasets.Origin.STAGE);
        assertEquals(2, back.size());
        for (int i = 0; i < demos.size(); i++) {
            assertArrayEquals(demos.get(i).sequence(), back.get(i).sequence());
        }
        assertEquals(2, Datasets.countDemonstrations(new ByteArrayInputStream(out.toByteArray()), FORMAT));

        List<Comparison> rankings = List.of(comparison("q1", List.of("a", "b", "c", "d"), 3, 0, 1, 1),
                comparison("q2", List.of("yes", "no"), 0, 1));
        out.reset();
        Datasets.writeRankings(rankings, FORMAT, out);
        List<Comparison> rankingsBack = Datasets.readComparisons(new ByteArrayInputStream(out.toByteArray()), FORMAT, Datasets.Origin.STAGE);
        assertEquals(2, rankingsBack.size());
        for (int i = 0; i < rankings.size(); i++) {
            assertArrayEquals(rankings.get(i).prompt(), rankingsBack.get(i).prompt());
            assertEquals(texts(rankings.get(i)), texts(rankingsBack.get(i)));
            assertArrayEquals(rankings.get(i).ranks(), rankingsBack.get(i).ranks());
        }
    }

    @Test
    void pairsAreEveryTwoResponsesRankedApartWithDifferentTexts() throws IOException {
        // B is best, A and D tie, C is worst; the second ranking's two texts are the same
        List<Comparison> comparisons = List.of(comparison("q", List.of("A", "B", "C", "D"), 1, 0, 2, 1),
                comparison("r", List.of("same", "same"), 0, 1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Datasets.writePairs(comparisons, FORMAT, out);

        List<List<String>> pairs = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            JsonNode row = RunStore.JSON.readTree(line);
            pairs.add(List.of(row.get("prompt").asText(), row.get("chosen").asText(), row.get("rejected").asText()));
        }
        assertEquals(List.of(List.of("q", "B", "A"), List.of("q", "A", "C"), List.of("q", "B", "C"),
                List.of("q", "B", "D"), List.of("q", "D", "C")), pairs);

        // and they read back as comparisons of two, chosen first
        List<Comparison> back = Datasets.readComparisons(new ByteArrayInputStream(out.toByteArray()), FORMAT, Datasets.Origin.STAGE);
        assertEquals(5, back.size());
        assertEquals(List.of("D", "C"), texts(back.get(4)));
        assertArrayEquals(new int[] {0, 1}, back.get(4).ranks());
    }

    private static String reason(DatasetException e, int line) {
        return e.lines().stream().filter(l -> l.line() == line).findFirst()
                .orElseThrow(() -> new AssertionError("line " + line + " not reported: " + e.getMessage())).reason();
    }

    private static String demonstration(String prompt, String completion) {
        return "{\"prompt\": \"" + prompt + "\", \"completion\": \"" + completion + "\"}\n";
    }

    private static Comparison comparison(String prompt, List<String> responses, int... ranks) {
        return new Comparison(FORMAT.prompt(prompt), responses.stream().map(FORMAT::response).toList(), ranks);
    }

    private static List<String> texts(Comparison c) {
        return c.responses().stream().map(FORMAT::responseText).toList();
    }

    private static ByteArrayInputStream utf8(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
