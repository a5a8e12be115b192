package ai.instructflow.activities.stages;

import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import ai.instructflow.trainer.train.Comparison;
import ai.instructflow.trainer.train.Demonstration;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Datasets as JSON lines of text, the shapes other RLHF tools read and write:
 * demonstrations {@code {"prompt": ..., "completion": ...}} and K-way rankings
 * {@code {"prompt": ..., "responses": [...], "ranks": [...]}} (rank 0 is best; equal ranks tie).
 */
public final class Datasets {

    private static final int MAX_REPORTED = 20;

    private Datasets() {}

    public static void writeDemonstrations(List<Demonstration> demos, PromptFormat format, OutputStream out) throws IOException {
        for (Demonstration d : demos) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("prompt", format.promptText(d.prompt()));
            row.put("completion", format.responseText(d.response()));
            JsonLines.write(out, row);
        }
    }

    /** Reads demonstrations; a file with any bad line is refused whole, naming the lines and why. */
    public static List<Demonstration> readDemonstrations(InputStream in, PromptFormat format) throws IOException {
        List<Demonstration> out = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        forEachLine(in, errors, (number, row) -> {
            String prompt = text(row, "prompt");
            String completion = text(row, "completion");
            if (prompt == null || prompt.isBlank()) {
                errors.add("line " + number + ": \"prompt\" must be a non-empty string");
            } else if (completion == null) {
                errors.add("line " + number + ": \"completion\" must be a string");
            } else {
                out.add(new Demonstration(format.prompt(prompt), format.response(completion)));
            }
        });
        refuseIfAny("demonstrations", errors);
        return out;
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

    public static List<Comparison> readComparisons(InputStream in, PromptFormat format) throws IOException {
        List<Comparison> out = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        forEachLine(in, errors, (number, row) -> {
            JsonNode responses = row.get("responses");
            JsonNode ranks = row.get("ranks");
            String prompt = text(row, "prompt");
            if (prompt == null || responses == null || !responses.isArray() || ranks == null || !ranks.isArray()
                    || responses.size() != ranks.size() || responses.size() < 2) {
                errors.add("line " + number + ": needs \"prompt\", and \"responses\" and \"ranks\" arrays of equal length >= 2");
                return;
            }
            List<int[]> tokens = new ArrayList<>();
            int[] r = new int[ranks.size()];
            for (int i = 0; i < r.length; i++) {
                tokens.add(format.response(responses.get(i).asText()));
                r[i] = ranks.get(i).asInt();
            }
            out.add(new Comparison(format.prompt(prompt), tokens, r));
        });
        refuseIfAny("rankings", errors);
        return out;
    }

    private interface Row {
        void accept(int number, JsonNode row);
    }

    private static void forEachLine(InputStream in, List<String> errors, Row row) throws IOException {
        JsonLines.forEach(in, (number, text) -> {
            try {
                row.accept(number, RunStore.JSON.readTree(text));
            } catch (JsonProcessingException e) {
                errors.add("line " + number + ": not valid JSON (" + e.getOriginalMessage() + ")");
            }
        });
    }

    private static String text(JsonNode row, String field) {
        JsonNode v = row.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static void refuseIfAny(String what, List<String> errors) {
        if (!errors.isEmpty()) {
            String shown = String.join("; ", errors.subList(0, Math.min(errors.size(), MAX_REPORTED)));
            throw new IllegalArgumentException("bad " + what + " dataset, nothing imported: " + errors.size()
                    + " bad line(s): " + shown);
        }
    }
}
