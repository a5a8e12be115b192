package ai.instructflow.activities.stages;

import static ai.instructflow.activities.labeling.TextLimits.MAX_PROMPT_CHARS;
import static ai.instructflow.activities.labeling.TextLimits.MAX_RESPONSE_CHARS;

import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import ai.instructflow.trainer.train.Comparison;
import ai.instructflow.trainer.train.Demonstration;
import ai.instructflow.workflows.WellFormedText;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Datasets as JSON lines of text, the shapes other RLHF tools read and write: demonstrations
 * {@code {"prompt", "completion"}}; comparisons either as K-way rankings
 * {@code {"prompt", "responses": [...], "ranks": [...]}} (rank 0 is best; equal ranks tie) or as the
 * preference pairs of HH-RLHF and TRL {@code {"prompt", "chosen", "rejected"}}; a team's prompts
 * {@code {"prompt", "split"?: "train"|"held_out", "tags"?: [...]}}.
 *
 * <p>A file is read whole before anything is used: one with any bad line, or with no rows, is
 * refused with a {@link DatasetException} naming the lines and why.
 */
public final class Datasets {

    private static final int MAX_LISTED = 20;
    // InstructGPT's labelers ranked K = 4..9 responses; 2 admits a plain pair
    private static final int MIN_RESPONSES = 2;
    private static final int MAX_RESPONSES = 9;
    // a line holds exactly one object: "{...} {...}" is a broken export, not the first of them
    private static final ObjectReader ROW = RunStore.JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final int MAX_TAGS = 20;
    private static final int MAX_TAG_CHARS = 100;
    private static final Set<String> PROMPT_FIELDS = Set.of("prompt", "split", "tags");
    /** Where a file names no split at all, one prompt in this many (by its text's String hash, the same in every JVM) is held out. */
    private static final int HELD_OUT_ONE_IN = 10;

    private Datasets() {}

    /**
     * A team's prompts, checked whole. Repeats of a prompt count once; a prompt on both sides stays
     * held out. A file that names no split holds out every tenth prompt by the hash of its text, so the
     * same file always splits the same way; one that names splits must have prompts on both sides.
     */
    public static TeamPrompts readPrompts(InputStream in) throws IOException {
        record Line(String prompt, String split) {}
        List<Line> lines = new ArrayList<>();
        forEachRow(in, "prompts", Datasets::promptLine, row -> lines.add(new Line(row[0], row[1])));
        boolean split = lines.stream().anyMatch(l -> l.split() != null);
        Set<String> heldOut = new LinkedHashSet<>();
        Set<String> train = new LinkedHashSet<>();
        for (Line l : lines) {
            boolean held = split ? "held_out".equals(l.split())
                    : Math.floorMod(l.prompt().hashCode(), HELD_OUT_ONE_IN) == 0;
            (held ? heldOut : train).add(l.prompt());
        }
        train.removeAll(heldOut);
        if (train.isEmpty() || heldOut.isEmpty()) {
            throw new DatasetException("prompts dataset needs prompts to train on and held-out prompts to measure on; "
                    + "it has " + train.size() + " and " + heldOut.size() + (split ? "" : " (mark some \"split\": \"held_out\")"),
                    List.of(), 0);
        }
        return new TeamPrompts(List.copyOf(train), List.copyOf(heldOut), lines.size() - train.size() - heldOut.size());
    }

    /** The prompt and its split (null when not given). */
    private static String[] promptLine(JsonNode row) throws BadRow {
        Iterator<String> names = row.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!PROMPT_FIELDS.contains(name)) {
                throw new BadRow("unknown field \"" + name + "\"; a prompt line has prompt, split and tags");
            }
        }
        String prompt = written(prompt(row), "prompt");
        JsonNode split = row.get("split");
        if (split != null && !(split.isTextual() && List.of("train", "held_out").contains(split.asText()))) {
            throw new BadRow("\"split\" must be \"train\" or \"held_out\", got " + split);
        }
        JsonNode tags = row.get("tags");
        if (tags != null) {
            if (!tags.isArray() || tags.size() > MAX_TAGS) {
                throw new BadRow("\"tags\" must be an array of at most " + MAX_TAGS + " strings");
            }
            for (int i = 0; i < tags.size(); i++) {
                written(text(tags.get(i), "tags[" + i + "]", MAX_TAG_CHARS), "tags[" + i + "]");
            }
        }
        return new String[] {prompt, split == null ? null : split.asText()};
    }

    public static void writeDemonstrations(List<Demonstration> demos, PromptFormat format, OutputStream out) throws IOException {
        for (Demonstration d : demos) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("prompt", format.promptText(d.prompt()));
            row.put("completion", format.responseText(d.response()));
            JsonLines.write(out, row);
        }
    }

    /** Demonstrations in a file of {@code origin}: people's text is held to {@link WellFormedText}, a stage's is not. */
    public static List<Demonstration> readDemonstrations(InputStream in, PromptFormat format, Origin origin) throws IOException {
        List<Demonstration> out = new ArrayList<>();
        forEachRow(in, "demonstrations", row -> demonstration(row, format, origin), out::add);
        return out;
    }

    /** Validates people's demonstrations without keeping them, so a large upload costs the memory of one row; returns the row count. */
    public static int countDemonstrations(InputStream in, PromptFormat format) throws IOException {
        return forEachRow(in, "demonstrations", row -> demonstration(row, format, Origin.PEOPLE), d -> { });
    }

    public static void writeRankings(List<Comparison> rankings, PromptFormat format, OutputStream out) throws IOException {
        for (Comparison c : rankings) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("prompt", format.promptText(c.prompt()));
            row.put("responses", c.responses().stream().map(format::responseText).toList());
            row.put("ranks", c.ranks());
            JsonLines.write(out, row);
        }
    }

    /** Reads rankings and preference pairs, in any mix; a pair becomes a ranking of two, chosen first. */
    public static List<Comparison> readComparisons(InputStream in, PromptFormat format, Origin origin) throws IOException {
        List<Comparison> out = new ArrayList<>();
        forEachRow(in, "comparisons", row -> comparison(row, format, origin), out::add);
        return out;
    }

    /** Validates people's comparisons without keeping them, as {@link #countDemonstrations}; returns the row count. */
    public static int countComparisons(InputStream in, PromptFormat format) throws IOException {
        return forEachRow(in, "comparisons", row -> comparison(row, format, Origin.PEOPLE), c -> { });
    }

    /**
     * Comparisons as preference pairs {@code {"prompt", "chosen", "rejected"}}: every two responses
     * of a ranking that are ranked apart. A pair of identical texts is left out: it states no
     * preference a model could learn.
     */
    public static void writePairs(List<Comparison> comparisons, PromptFormat format, OutputStream out) throws IOException {
        for (Comparison c : comparisons) {
            String prompt = format.promptText(c.prompt());
            for (int[] pair : c.pairs()) {
                String chosen = format.responseText(c.responses().get(pair[0]));
                String rejected = format.responseText(c.responses().get(pair[1]));
                if (!chosen.equals(rejected)) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("prompt", prompt);
                    row.put("chosen", chosen);
                    row.put("rejected", rejected);
                    JsonLines.write(out, row);
                }
            }
        }
    }

    private static Demonstration demonstration(JsonNode row, PromptFormat format, Origin origin) throws BadRow {
        String prompt = origin.text(prompt(row), "prompt");
        String completion = origin.text(text(row.get("completion"), "completion", MAX_RESPONSE_CHARS), "completion");
        return Demonstration.of(format, prompt, completion);
    }

    private static Comparison comparison(JsonNode row, PromptFormat format, Origin origin) throws BadRow {
        boolean ranking = row.has("responses") || row.has("ranks");
        boolean pair = row.has("chosen") || row.has("rejected");
        if (ranking && pair) {
            throw new BadRow("has both a ranking (\"responses\", \"ranks\") and a pair (\"chosen\", \"rejected\"); give one");
        }
        if (!ranking && !pair) {
            throw new BadRow("needs \"responses\" and \"ranks\", or \"chosen\" and \"rejected\"");
        }
        int[] prompt = format.prompt(origin.text(prompt(row), "prompt"));
        if (pair) {
            return new Comparison(prompt, List.of(
                    format.response(origin.text(text(row.get("chosen"), "chosen", MAX_RESPONSE_CHARS), "chosen")),
                    format.response(origin.text(text(row.get("rejected"), "rejected", MAX_RESPONSE_CHARS), "rejected"))),
                    new int[] {0, 1});
        }
        JsonNode responses = row.get("responses");
        JsonNode ranks = row.get("ranks");
        if (responses == null || !responses.isArray() || ranks == null || !ranks.isArray()) {
            throw new BadRow("\"responses\" and \"ranks\" must both be arrays");
        }
        int k = responses.size();
        if (ranks.size() != k) {
            throw new BadRow("\"responses\" has " + k + " entries but \"ranks\" has " + ranks.size());
        }
        if (k < MIN_RESPONSES || k > MAX_RESPONSES) {
            throw new BadRow("a ranking needs " + MIN_RESPONSES + " to " + MAX_RESPONSES + " responses, has " + k);
        }
        List<int[]> tokens = new ArrayList<>(k);
        int[] r = new int[k];
        for (int i = 0; i < k; i++) {
            String field = "responses[" + i + "]";
            tokens.add(format.response(origin.text(text(responses.get(i), field, MAX_RESPONSE_CHARS), field)));
            JsonNode rank = ranks.get(i);
            if (!rank.isIntegralNumber() || !rank.canConvertToInt() || rank.asInt() < 0 || rank.asInt() >= k) {
                throw new BadRow("\"ranks[" + i + "]\" must be an integer from 0 to " + (k - 1) + ", got " + rank);
            }
            r[i] = rank.asInt();
        }
        // as a labeler's ranking must (RankingTasks): without a best, the ranks say nothing about the top
        if (Arrays.stream(r).noneMatch(rank -> rank == 0)) {
            throw new BadRow("\"ranks\" must rank some response best (0)");
        }
        return new Comparison(prompt, tokens, r);
    }

    private static String prompt(JsonNode row) throws BadRow {
        String prompt = text(row.get("prompt"), "prompt", MAX_PROMPT_CHARS);
        if (prompt.isBlank()) {
            throw new BadRow("\"prompt\" must not be empty");
        }
        return prompt;
    }

    private static String text(JsonNode value, String field, int maxChars) throws BadRow {
        if (value == null || !value.isTextual()) {
            throw new BadRow("\"" + field + "\" must be a string");
        }
        String text = value.asText();
        if (text.length() > maxChars) {
            throw new BadRow("\"" + field + "\" has " + text.length() + " chars, more than the " + maxChars + " allowed");
        }
        return text;
    }

    /** People's text must be {@link WellFormedText}. */
    private static String written(String text, String field) throws BadRow {
        if (!WellFormedText.check(text)) {
            throw new BadRow("\"" + field + "\" " + WellFormedText.REASON);
        }
        return text;
    }

    /**
     * Who wrote a file, which decides how its text is checked. A byte-level model's own samples, which
     * the stages write and read back, may hold any byte; what people bring is held to
     * {@link WellFormedText}.
     */
    public enum Origin {
        PEOPLE, STAGE;

        String text(String text, String field) throws BadRow {
            return this == PEOPLE ? written(text, field) : text;
        }
    }

    private interface RowReader<T> {
        T read(JsonNode row) throws BadRow;
    }

    /** Hands every good row to {@code sink} until the first bad one, then only checks the rest; returns the row count. */
    private static <T> int forEachRow(InputStream in, String dataset, RowReader<T> reader, Consumer<T> sink) throws IOException {
        BadLines bad = new BadLines();
        int[] rows = {0};
        JsonLines.forEach(in, (number, text) -> {
            rows[0]++;
            try {
                JsonNode row = ROW.readTree(text);
                if (!row.isObject()) {
                    throw new BadRow("must be a JSON object");
                }
                T value = reader.read(row);
                if (bad.count == 0) {
                    sink.accept(value);
                }
            } catch (JsonProcessingException e) {
                bad.add(number, "not valid JSON (" + e.getOriginalMessage() + ")");
            } catch (BadRow e) {
                bad.add(number, e.getMessage());
            }
        }, number -> {
            rows[0]++;
            bad.add(number, "not valid UTF-8");
        });
        if (bad.count > 0) {
            String shown = String.join("; ", bad.listed.stream().map(l -> "line " + l.line() + ": " + l.reason()).toList());
            throw new DatasetException("bad " + dataset + " dataset, nothing imported: " + bad.count + " bad line(s)"
                    + (bad.count > bad.listed.size() ? ", the first " + bad.listed.size() : "") + ": " + shown,
                    bad.listed, bad.count);
        }
        if (rows[0] == 0) {
            throw new DatasetException("empty " + dataset + " dataset: no rows", List.of(), 0);
        }
        return rows[0];
    }

    /** The bad lines of one file: every one counted, the first few kept to report. */
    private static final class BadLines {
        final List<DatasetException.BadLine> listed = new ArrayList<>();
        int count;

        void add(int line, String reason) {
            count++;
            if (listed.size() < MAX_LISTED) {
                listed.add(new DatasetException.BadLine(line, reason));
            }
        }
    }

    /** Why a row is bad; without a stack trace, since bad rows are expected input, not a fault here. */
    private static final class BadRow extends Exception {
        BadRow(String reason) {
            super(reason, null, false, false);
        }
    }
}
