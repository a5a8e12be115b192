package ai.instructflow.activities.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.activities.HostileJson;
import ai.instructflow.activities.labeling.TextLimits;
import ai.instructflow.trainer.tokenizer.ByteTokenizer;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import ai.instructflow.trainer.train.Comparison;
import ai.instructflow.trainer.train.Demonstration;
import ai.instructflow.workflows.WellFormedText;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * A dataset file a team uploads, of any content, is read whole or refused with a
 * {@link DatasetException} naming lines; nothing else escapes, and what is read holds only text a
 * person could have written, within the limits, and rankings with a best.
 */
class DatasetsFuzzTest {

    private static final PromptFormat FORMAT = new PromptFormat(new ByteTokenizer());

    @Provide
    Arbitrary<byte[]> demonstrationFiles() {
        return files(HostileJson.mutationsOf("{\"prompt\": \"upper: cat\", \"completion\": \"CAT\"}"));
    }

    @Provide
    Arbitrary<byte[]> comparisonFiles() {
        return files(Arbitraries.oneOf(
                HostileJson.mutationsOf("{\"prompt\": \"p\", \"responses\": [\"a\", \"b\", \"c\"], \"ranks\": [1, 0, 2]}"),
                HostileJson.mutationsOf("{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}")));
    }

    @Provide
    Arbitrary<byte[]> promptFiles() {
        return files(HostileJson.mutationsOf("{\"prompt\": \"p\", \"split\": \"held_out\", \"tags\": [\"a\"]}"));
    }

    /** A few lines, some of them valid, or raw bytes that need not even be UTF-8. */
    private static Arbitrary<byte[]> files(Arbitrary<String> lines) {
        Arbitrary<byte[]> text = lines.list().ofMinSize(0).ofMaxSize(5)
                .map(ls -> String.join("\n", ls).getBytes(StandardCharsets.UTF_8));
        return Arbitraries.frequencyOf(
                Tuple.of(9, text),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(200)));
    }

    @Property(tries = 700)
    void demonstrationsAreReadWholeOrRefusedByLine(@ForAll("demonstrationFiles") byte[] file) throws IOException {
        List<Demonstration> read = readOrRefused(in -> Datasets.readDemonstrations(in, FORMAT, Datasets.Origin.PEOPLE), file);
        if (read == null) {
            return;
        }
        assertEquals(read.size(), Datasets.countDemonstrations(new ByteArrayInputStream(file), FORMAT));
        for (Demonstration d : read) {
            assertPeoplesText(FORMAT.promptText(d.prompt()), TextLimits.MAX_PROMPT_CHARS);
            assertPeoplesText(FORMAT.responseText(d.response()), TextLimits.MAX_RESPONSE_CHARS);
        }
    }

    @Property(tries = 700)
    void comparisonsAreReadWholeOrRefusedByLine(@ForAll("comparisonFiles") byte[] file) throws IOException {
        List<Comparison> read = readOrRefused(in -> Datasets.readComparisons(in, FORMAT, Datasets.Origin.PEOPLE), file);
        if (read == null) {
            return;
        }
        for (Comparison c : read) {
            assertEquals(c.responses().size(), c.ranks().length);
            assertTrue(Arrays.stream(c.ranks()).anyMatch(r -> r == 0), "a ranking has a best");
            assertTrue(Arrays.stream(c.ranks()).allMatch(r -> r >= 0 && r < c.ranks().length));
            c.responses().forEach(r -> assertPeoplesText(FORMAT.responseText(r), TextLimits.MAX_RESPONSE_CHARS));
        }
    }

    @Property(tries = 500)
    void promptsAreReadWholeOrRefusedByLine(@ForAll("promptFiles") byte[] file) throws IOException {
        TeamPrompts read = readOrRefused(Datasets::readPrompts, file);
        if (read == null) {
            return;
        }
        assertFalse(read.train().isEmpty() || read.heldOut().isEmpty());
        read.train().forEach(p -> assertPeoplesText(p, TextLimits.MAX_PROMPT_CHARS));
    }

    private interface Reader<T> {
        T read(InputStream in) throws IOException;
    }

    /** What the reader made of the file, or null when it refused it as a file must be refused: naming lines. */
    private static <T> T readOrRefused(Reader<T> reader, byte[] file) throws IOException {
        try {
            return reader.read(new ByteArrayInputStream(file));
        } catch (DatasetException refused) {
            assertTrue(refused.getMessage() != null && !refused.getMessage().isBlank());
            refused.lines().forEach(l -> assertTrue(l.line() >= 1 && !l.reason().isBlank(), l.toString()));
            return null;
        }
    }

    private static void assertPeoplesText(String text, int limit) {
        assertTrue(text.length() <= limit && WellFormedText.check(text), text);
    }
}
