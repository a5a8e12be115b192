package ai.instructflow.api.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code instructflow runs submit|list|show|cancel|resume}: a small client of the REST API for a
 * running platform (INSTRUCTFLOW_URL, INSTRUCTFLOW_TOKEN).
 */
final class RunsCommand {

    static final String USAGE = """
              runs submit FILE.json|-  [--name NAME]   start a run from a spec (- reads stdin); --name alone is a tiny run
              runs list [--status S]                  newest first
              runs show ID | cancel ID | resume ID
            """;

    private RunsCommand() {}

    static void run(List<String> args) throws IOException {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("runs needs a subcommand");
        }
        ApiClient api = ApiClient.fromEnvironment();
        List<String> rest = args.subList(1, args.size());
        switch (args.get(0)) {
            case "submit" -> print(api.post("/api/v1/runs", spec(rest)));
            case "list" -> list(api, rest);
            case "show" -> print(api.get("/api/v1/runs/" + id(rest)));
            case "cancel" -> print(api.post("/api/v1/runs/" + id(rest) + "/cancel", ""));
            case "resume" -> print(api.post("/api/v1/runs/" + id(rest) + "/resume", ""));
            default -> throw new IllegalArgumentException("unknown runs subcommand '" + args.get(0) + "'");
        }
    }

    private static String spec(List<String> args) throws IOException {
        int named = args.indexOf("--name");
        if (named >= 0 && named + 1 < args.size() && args.size() == 2) {
            return ApiClient.JSON.writeValueAsString(java.util.Map.of("name", args.get(named + 1)));
        }
        if (args.size() != 1) {
            throw new IllegalArgumentException("runs submit takes a spec file (or - for stdin), or --name NAME");
        }
        return args.get(0).equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                : Files.readString(Path.of(args.get(0)));
    }

    private static void list(ApiClient api, List<String> args) {
        String query = args.size() == 2 && args.get(0).equals("--status") ? "?status=" + args.get(1) : "";
        if (!args.isEmpty() && query.isEmpty()) {
            throw new IllegalArgumentException("runs list takes only --status S");
        }
        JsonNode page = api.get("/api/v1/runs" + query);
        System.out.printf(Locale.ROOT, "%-24s %-12s %-24s %s%n", "ID", "STATUS", "STARTED", "NAME");
        for (JsonNode r : page.path("runs")) {
            System.out.printf(Locale.ROOT, "%-24s %-12s %-24s %s%n", r.path("id").asText(), r.path("status").asText(),
                    r.path("started_at").asText().replaceAll("\\.\\d+Z$", "Z"), r.path("name").asText());
        }
        System.out.println(page.path("total").asInt() + " run(s)");
    }

    private static String id(List<String> args) {
        if (args.size() != 1) {
            throw new IllegalArgumentException("give one run id");
        }
        return args.get(0);
    }

    private static void print(JsonNode node) throws IOException {
        System.out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    }
}
