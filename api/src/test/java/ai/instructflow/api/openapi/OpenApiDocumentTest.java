package ai.instructflow.api.openapi;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document the running server publishes at /q/openapi: every operation has a unique operationId and
 * declares its error answers with the ApiError body, it names a server, and Redocly's linter (its recommended
 * rules) finds no error in it. The linter is npm's @redocly/cli, installed by this test into target/npm once
 * (node and npm: apt-get install -y nodejs npm, as ./instructflow test does); a missing node fails the test.
 */
@QuarkusTest
class OpenApiDocumentTest {

    static final String REDOCLY = "@redocly/cli";
    static final String REDOCLY_VERSION = "2.77.0";
    static final Path NPM = Path.of("target/npm");
    static final Path REDOCLY_HOME = NPM.resolve("node_modules/" + REDOCLY);
    static final String API_ERROR = "#/components/schemas/ApiError";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyOperationHasAUniqueIdAndItsErrorAnswersWithTheApiErrorBody() throws IOException {
        JsonNode doc = document();
        assertTrue(doc.path("servers").size() > 0, "no servers: " + doc.path("servers"));
        assertTrue(doc.at("/components/schemas/ApiError/properties").has("error"), "the ApiError schema is published");

        Set<String> ids = new HashSet<>();
        List<String> problems = new ArrayList<>();
        forEachOperation(doc, (name, operation) -> {
            String id = operation.path("operationId").asText(null);
            if (id == null || id.isBlank()) {
                problems.add(name + ": no operationId");
            } else if (!ids.add(id)) {
                problems.add(name + ": operationId " + id + " is not unique");
            }
            if (!name.contains(" /api/")) {
                return;
            }
            JsonNode responses = operation.path("responses");
            List<String> expected = new ArrayList<>(List.of("401"));
            if (forSomeRoles(operation)) {
                expected.add("403");
            }
            if (validatesInput(operation)) {
                expected.add("400");
            }
            if (operation.has("requestBody")) {
                expected.add("415");
            }
            if (!ErrorResponses.WITHOUT_STORAGE.contains(id)) {
                expected.add("503");
                if (!resolve(doc, responses.path("503")).at("/headers").has("Retry-After")) {
                    problems.add(name + ": its 503 does not say Retry-After");
                }
            }
            for (String status : expected) {
                if (!responses.has(status)) {
                    problems.add(name + ": no " + status + " answer");
                }
            }
            responses.fields().forEachRemaining(answer -> {
                JsonNode response = resolve(doc, answer.getValue());
                if (!answer.getKey().startsWith("2")
                        && !API_ERROR.equals(response.at("/content/application~1json/schema/$ref").asText())) {
                    problems.add(name + ": " + answer.getKey() + " has no ApiError body");
                }
            });
        });
        assertEquals(List.of(), problems);
        assertEquals(ErrorResponses.ROUTES.keySet(), ids, "every route is in ErrorResponses.ROUTES");
    }

    @Test
    void startingARunIsDocumentedAsTheCreatedItAnswers() throws IOException {
        JsonNode responses = document().at("/paths/~1api~1v1~1runs/post/responses");
        assertTrue(responses.has("201") && !responses.has("200"), responses.toString());
        assertEquals("#/components/schemas/RunView",
                responses.at("/201/content/application~1json/schema/$ref").asText());
    }

    @Test
    void redoclyLintFindsNoError() throws IOException, InterruptedException {
        Path file = Path.of("target/openapi/openapi.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .extract().asString());

        JsonNode result = JSON.readTree(lint(file));
        List<String> errors = new ArrayList<>();
        for (JsonNode problem : result.path("problems")) {
            String line = problem.path("severity").asText() + " " + problem.path("ruleId").asText() + " at "
                    + problem.at("/location/0/pointer").asText() + ": " + problem.path("message").asText();
            if ("error".equals(problem.path("severity").asText())) {
                errors.add(line);
            } else {
                System.out.println("redocly lint: " + line);
            }
        }
        assertEquals(REDOCLY_VERSION, result.path("version").asText(), "the linter that ran");
        assertEquals(List.of(), errors, "redocly lint errors in " + file);
        assertEquals(0, result.at("/totals/errors").asInt(-1), result.path("totals").toString());
    }

    private static JsonNode document() throws IOException {
        return JSON.readTree(given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .extract().asString());
    }

    private static void forEachOperation(JsonNode doc, BiConsumer<String, JsonNode> each) {
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace").contains(op.getKey())) {
                each.accept(op.getKey().toUpperCase() + " " + path.getKey(), op.getValue());
            }
        }));
    }

    /** A role is named ({@code @RolesAllowed}); {@code @Authenticated} takes any. */
    private static boolean forSomeRoles(JsonNode operation) {
        for (JsonNode requirement : operation.path("security")) {
            for (JsonNode roles : requirement) {
                if (!roles.isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** It reads a body, a query parameter, or a path parameter besides the run id: each may be refused with 400. */
    private static boolean validatesInput(JsonNode operation) {
        if (operation.has("requestBody")) {
            return true;
        }
        for (JsonNode parameter : operation.path("parameters")) {
            String in = parameter.path("in").asText();
            if (in.equals("query") || in.equals("path") && !parameter.path("name").asText().equals("id")) {
                return true;
            }
        }
        return false;
    }

    /** A response, or the shared one a {@code $ref} names. */
    private static JsonNode resolve(JsonNode doc, JsonNode response) {
        String ref = response.path("$ref").asText(null);
        return ref == null ? response : doc.at(ref.substring(1));
    }

    /** Redocly's lint of {@code file} as its JSON report; installs the CLI into target/npm first if need be. */
    private static String lint(Path file) throws IOException, InterruptedException {
        Path cli = REDOCLY_HOME.resolve("bin/cli.js");
        if (!Files.isRegularFile(cli) || !Files.readString(REDOCLY_HOME.resolve("package.json"))
                .contains("\"version\": \"" + REDOCLY_VERSION + "\"")) {
            Result install = run(List.of("npm", "install", "--prefix", NPM.toString(), "--no-audit", "--no-fund",
                    REDOCLY + "@" + REDOCLY_VERSION), 300, file.resolveSibling("npm-install"));
            if (install.exit() != 0 || !Files.isRegularFile(cli)) {
                fail("npm install " + REDOCLY + "@" + REDOCLY_VERSION + " failed (exit " + install.exit() + "):\n"
                        + install.stdout() + install.stderr());
            }
        }
        // stdout is the JSON report alone; notices and the summary go to stderr. Lint exits 1 when it finds errors,
        // which the caller reads from the report.
        Result lint = run(List.of("node", cli.toString(), "lint", file.toString(), "--format=json",
                "--max-problems=1000"), 120, file.resolveSibling("redocly-lint"));
        if (lint.stdout().isBlank()) {
            fail("redocly lint wrote no report (exit " + lint.exit() + "):\n" + lint.stderr());
        }
        return lint.stdout();
    }

    record Result(int exit, String stdout, String stderr) {
    }

    /** Runs {@code cmd} with its stdout and stderr in {@code logs}.out and .err, waiting at most the timeout. */
    private static Result run(List<String> cmd, int timeoutSeconds, Path logs)
            throws IOException, InterruptedException {
        Path out = Path.of(logs + ".out");
        Path err = Path.of(logs + ".err");
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(Map.of("REDOCLY_TELEMETRY", "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE", "true",
                "NO_COLOR", "1"));
        Process p;
        try {
            p = builder.start();
        } catch (IOException e) {
            return fail("cannot run " + cmd.get(0) + " (" + e.getMessage() + "); the OpenAPI lint needs node and npm "
                    + "(apt-get install -y nodejs npm) and the npm registry");
        }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
