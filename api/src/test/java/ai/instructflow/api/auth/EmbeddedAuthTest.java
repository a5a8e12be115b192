package ai.instructflow.api.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import ai.instructflow.api.TrainerRuntime;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The default set-up: embedded key pair, admin JWT minted at start. Every token here is really verified. */
@QuarkusTest
class EmbeddedAuthTest {

    @Inject
    AdminToken adminToken;

    @ConfigProperty(name = "instructflow.data-dir")
    Path dataDir;

    @Test
    void healthNeedsNoToken() {
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void apiRejectsMissingAndGarbageTokens() {
        given().get("/api/v1/whoami").then()
                .statusCode(401).header("WWW-Authenticate", "Bearer").body("error", containsString("authentication"));
        given().auth().oauth2("not-a-token").get("/api/v1/whoami").then()
                .statusCode(401).body("error", equalTo("invalid or expired token"));
    }

    @Test
    void adminTokenIsAJwtWrittenPrivatelyForTheCli() throws Exception {
        given().auth().oauth2(adminToken.adminToken()).get("/api/v1/whoami").then()
                .statusCode(200).body("subject", equalTo("admin")).body("roles", containsInAnyOrder("admin"));
        Path file = dataDir.resolve("admin-token");
        assertEquals(adminToken.adminToken(), Files.readString(file).strip());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        // a day, not years: a copy of it leaked from a shell history is soon worth nothing
        JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(adminToken.adminToken().split("\\.")[1]));
        assertEquals(Duration.ofHours(24).toSeconds(), claims.get("exp").asLong() - claims.get("iat").asLong());
    }

    @Test
    void adminMintsTokensThatCarryTheirRole() {
        String operator = mint("ci-bot", "operator", 2);
        given().auth().oauth2(operator).get("/api/v1/whoami").then()
                .statusCode(200).body("subject", equalTo("ci-bot")).body("roles", containsInAnyOrder("operator"));

        String labeler = mint("ann", "labeler", 24);
        given().auth().oauth2(labeler).get("/api/v1/whoami").then()
                .statusCode(200).body("roles", containsInAnyOrder("labeler"));
        given().auth().oauth2(labeler).contentType(ContentType.JSON)
                .body("{\"subject\": \"mallory\", \"role\": \"admin\"}")
                .post("/api/v1/tokens").then()
                .statusCode(403).body("error", containsString("forbidden"));
    }

    @Test
    void mintedTokenReportsItsExpiry() {
        Instant before = Instant.now();
        String expiresAt = given().auth().oauth2(adminToken.adminToken()).contentType(ContentType.JSON)
                .body("{\"subject\": \"ci-bot\", \"role\": \"operator\", \"ttl_hours\": 3}")
                .post("/api/v1/tokens").then()
                .statusCode(201).body("subject", equalTo("ci-bot")).body("role", equalTo("operator"))
                .extract().path("expires_at");
        Duration ttl = Duration.between(before, Instant.parse(expiresAt));
        assertEquals(3, Math.round(ttl.toMinutes() / 60.0));
    }

    @Test
    void invalidFieldsAreAllNamed() {
        given().auth().oauth2(adminToken.adminToken()).contentType(ContentType.JSON)
                .body("{\"subject\": \"\", \"role\": \"king\"}")
                .post("/api/v1/tokens").then()
                .statusCode(400)
                .body("error", equalTo("invalid request"))
                .body("fields.field", containsInAnyOrder("subject", "role"));
        given().auth().oauth2(adminToken.adminToken()).contentType(ContentType.JSON)
                .body("{\"subject\": \"x\", \"role\": \"operator\", \"ttl_hours\": 0}")
                .post("/api/v1/tokens").then()
                .statusCode(400).body("fields.field", containsInAnyOrder("ttl_hours"));
    }

    @Test
    void unknownPropertiesAndWrongTypesNameTheField() {
        given().auth().oauth2(adminToken.adminToken()).contentType(ContentType.JSON)
                .body("{\"subject\": \"x\", \"role\": \"operator\", \"ttl_hourz\": 3}")
                .post("/api/v1/tokens").then()
                .statusCode(400)
                .body("fields[0].field", equalTo("ttl_hourz"))
                .body("fields[0].reason", containsString("unknown property"));
        given().auth().oauth2(adminToken.adminToken()).contentType(ContentType.JSON)
                .body("{\"subject\": \"x\", \"role\": \"operator\", \"ttl_hours\": \"soon\"}")
                .post("/api/v1/tokens").then()
                .statusCode(400)
                .body("fields[0].field", equalTo("ttl_hours"))
                .body("fields[0].reason", equalTo("expected an integer"));
    }

    @Test
    void malformedJsonIsA400WithoutInternals() {
        given().auth().oauth2(adminToken.adminToken()).contentType(ContentType.JSON)
                .body("{\"subject\": ")
                .post("/api/v1/tokens").then()
                .statusCode(400)
                .body("fields[0].field", equalTo("$"))
                .body("fields[0].reason", containsString("malformed JSON"))
                .body(not(containsString("java.")))
                .body(not(containsString("jackson")));
    }

    @Test
    void openApiDocumentsTheApi() {
        given().accept("application/json").get("/q/openapi").then()
                .statusCode(200)
                .body("paths.keySet()", hasItems("/api/v1/tokens", "/api/v1/whoami"))
                .body("components.schemas.TokenRequest.properties.keySet()", hasItems("ttl_hours"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void trainerRunsInsideTheApp() {
        TrainerRuntime.assertLibtorchComputes();
    }

    private String mint(String subject, String role, int ttlHours) {
        return given().auth().oauth2(adminToken.adminToken()).contentType(ContentType.JSON)
                .body("{\"subject\": \"" + subject + "\", \"role\": \"" + role + "\", \"ttl_hours\": " + ttlHours + "}")
                .post("/api/v1/tokens").then()
                .statusCode(201)
                .extract().path("token");
    }
}
