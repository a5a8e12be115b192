package ai.instructflow.api.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.instructflow.api.auth.AdminToken;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.stream.Stream;
import org.hamcrest.Matchers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a careless or hostile caller sends gets a 4xx naming what is wrong, never a 500, and the
 * server goes on serving: run ids that are paths, keys that climb out of the bucket, numbers that
 * overflow.
 */
@QuarkusTest
class HostileInputTest {

    @Inject
    AdminToken admin;

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of("GET", "/api/v1/runs/..", null, 404, null),
                Arguments.of("GET", "/api/v1/runs/a.b/report", null, 404, null),
                Arguments.of("GET", "/api/v1/runs/%00", null, 404, null),
                Arguments.of("GET", "/api/v1/runs/..%2F..%2Fetc/artifacts", null, 404, null),
                Arguments.of("POST", "/api/v1/runs/../cancel", null, 404, null),
                Arguments.of("POST", "/api/v1/runs/x%00y/resume", null, 404, null),
                Arguments.of("GET", "/api/v1/runs/.../metrics", null, 404, null),
                Arguments.of("GET", "/api/v1/runs/20261201-000000-zzzzzz/models/ppo?format=hf", null, 404, null),
                Arguments.of("POST", "/api/v1/runs/../labeling/collect-demonstrations/lease", null, 404, null),
                Arguments.of("GET", "/api/v1/runs?page=1073741823&size=3", null, 200, null),
                Arguments.of("GET", "/api/v1/runs?page=-1", null, 400, "page"),
                Arguments.of("POST", "/api/v1/runs", "{\"name\": \"x\", \"base_checkpoint\": \"../x\"}", 400, "base_checkpoint"),
                Arguments.of("POST", "/api/v1/runs", "{\"name\": \"x\", \"base_checkpoint\": \"/etc/passwd\"}", 400,
                        "base_checkpoint"),
                Arguments.of("POST", "/api/v1/runs", "{\"name\": \"x\", \"base_checkpoint\": \"runs/./a\"}", 400,
                        "base_checkpoint"),
                Arguments.of("POST", "/api/v1/runs", "{\"name\": \"x\", \"demonstrations\": {\"dataset\": \"a/../../b\"}}",
                        400, "demonstrations.dataset"),
                Arguments.of("POST", "/api/v1/runs", "{\"name\": \"x\", \"prompts\": {\"dataset\": \"a\\u0000b\"}}", 400,
                        "prompts.dataset"),
                Arguments.of("POST", "/api/v1/runs", "{\"name\": \"x\", \"base_model\": \"models/../x\"}", 400, "base_model"),
                Arguments.of("POST", "/api/v1/runs", "{\"name\": \"x\", \"evaluation\": {\"group\": \"../judges\"}}", 400,
                        "evaluation.group"),
                Arguments.of("POST", "/api/v1/runs", "{\"name\": \"x\", \"evaluation\": {\"judges\": \"robots\"}}", 400,
                        "evaluation.judges"),
                Arguments.of("POST", "/api/v1/models", "{\"folder\": \"\"}", 400, "folder"),
                Arguments.of("POST", "/api/v1/models", "{\"folder\": \"nothing-here/\"}", 400, "folder"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("requests")
    void refusedWithTheReason(String method, String path, String body, int status, String field) {
        Api api = new Api(admin.adminToken());
        var request = api.as().urlEncodingEnabled(false);
        if (body != null) {
            request.body(body);
        }
        Response response = request.request(method, path);
        assertEquals(status, response.statusCode(), method + " " + path + ": " + response.asString());
        if (field != null) {
            response.then().body("fields.field", Matchers.hasItem(field));
        }
        api.as().get("/api/v1/runs?size=1").then().statusCode(200);
    }
}
