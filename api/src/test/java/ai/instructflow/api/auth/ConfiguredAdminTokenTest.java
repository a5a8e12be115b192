package ai.instructflow.api.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.instructflow.api.TrainerRuntime;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** INSTRUCTFLOW_ADMIN_TOKEN set: that opaque string, and nothing like it, is the admin credential. */
@QuarkusTest
@TestProfile(ConfiguredAdminTokenTest.OpaqueAdminToken.class)
class ConfiguredAdminTokenTest {

    private static final String SECRET = "correct-horse-battery-staple";

    public static class OpaqueAdminToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("instructflow.admin-token", SECRET);
        }
    }

    @Test
    void theOpaqueTokenIsAdmin() {
        given().auth().oauth2(SECRET).get("/api/v1/whoami").then()
                .statusCode(200).body("subject", equalTo("admin")).body("roles", containsInAnyOrder("admin"));
    }

    @Test
    void nearMissesAreRejected() {
        given().auth().oauth2(SECRET + "x").get("/api/v1/whoami").then().statusCode(401);
        given().auth().oauth2(SECRET.substring(1)).get("/api/v1/whoami").then().statusCode(401);
    }

    @Test
    void theOpaqueTokenMintsVerifiableJwts() {
        String operator = given().auth().oauth2(SECRET).contentType(ContentType.JSON)
                .body("{\"subject\": \"ci-bot\", \"role\": \"operator\"}")
                .post("/api/v1/tokens").then()
                .statusCode(201)
                .extract().path("token");
        given().auth().oauth2(operator).get("/api/v1/whoami").then()
                .statusCode(200).body("roles", containsInAnyOrder("operator"));
    }

    @Test
    void trainerRunsInsideTheApp() {
        TrainerRuntime.assertLibtorchComputes();
    }
}
