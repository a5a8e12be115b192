package ai.instructflow.trainer;

import ai.instructflow.trainer.hf.Gpt2Model;
import ai.instructflow.trainer.hf.ModelInspection;
import ai.instructflow.trainer.hf.UnsupportedCheckpointException;
import ai.instructflow.trainer.model.Devices;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code model inspect DIR} and {@code model generate DIR --prompt ...}: a team's Hugging Face
 * GPT-2 folder checked, and tried, before a run starts from it. Output is JSON on stdout.
 */
final class ModelCommand {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Defaults of {@code model generate}: a short greedy continuation, reproducible. */
    private static final String MAX_TOKENS = "32";
    private static final String TEMPERATURE = "0";
    private static final String SEED = "0";

    private ModelCommand() {}

    static void run(List<String> args, PrintStream out) throws Exception {
        if (args.size() < 2) {
            throw new IllegalArgumentException("model needs a subcommand and a folder: model inspect|generate DIR");
        }
        String sub = args.remove(0);
        Path dir = Path.of(args.remove(0));
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a folder");
        }
        switch (sub) {
            case "inspect" -> inspect(dir, args, out);
            case "generate" -> generate(dir, args, out);
            default -> throw new IllegalArgumentException("unknown model subcommand '" + sub + "' (inspect, generate)");
        }
    }

    private static void inspect(Path dir, List<String> args, PrintStream out) throws Exception {
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + args);
        }
        ModelInspection inspection = ModelInspection.of(dir);
        out.println(JSON.writeValueAsString(inspection.toMap()));
        if (!inspection.loadable()) {
            System.exit(1);
        }
    }

    private static void generate(Path dir, List<String> args, PrintStream out) throws Exception {
        List<String> prompts = new ArrayList<>();
        for (String p = Main.option(args, "--prompt", null); p != null; p = Main.option(args, "--prompt", null)) {
            prompts.add(p);
        }
        int maxTokens = parse(Main.option(args, "--max-tokens", MAX_TOKENS), "--max-tokens", Integer::parseInt);
        float temperature = parse(Main.option(args, "--temperature", TEMPERATURE), "--temperature", Float::parseFloat);
        long seed = parse(Main.option(args, "--seed", SEED), "--seed", Long::parseLong);
        String device = Main.option(args, "--device", "cpu");
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + args);
        }
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("model generate needs at least one --prompt");
        }
        if (maxTokens < 1 || temperature < 0) {
            throw new IllegalArgumentException("--max-tokens must be at least 1 and --temperature at least 0");
        }
        try (Gpt2Model model = Gpt2Model.load(dir, Devices.parse(device))) {
            for (Gpt2Model.Completion c : model.generate(prompts, maxTokens, temperature, seed)) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("prompt", c.prompt());
                row.put("completion", c.completion());
                row.put("tokens", c.tokens());
                out.println(JSON.writeValueAsString(row));
            }
        } catch (UnsupportedCheckpointException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private interface Parser<T> {
        T parse(String text);
    }

    private static <T> T parse(String text, String name, Parser<T> parser) {
        try {
            return parser.parse(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + text + "'");
        }
    }
}
