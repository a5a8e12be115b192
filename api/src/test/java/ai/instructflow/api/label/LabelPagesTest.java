package ai.instructflow.api.label;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import ai.instructflow.api.Browser;
import ai.instructflow.api.auth.AdminToken;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The labeling pages as the app serves them, in headless Chromium, talking to the real API. */
@QuarkusTest
class LabelPagesTest {

    @TestHTTPResource("label/")
    URL pages;

    @Inject
    AdminToken admin;

    @Test
    void withoutATokenThePageSaysHowToGetOne() {
        try (Browser browser = new Browser()) {
            browser.open(pages.toString());
            String status = browser.waitForText("#status", "You need a labeling link");
            assertTrue(status.contains("/label/?token="), status);
            assertTrue(status.contains("POST /api/v1/tokens"), status);
            assertFalse(browser.isVisible("#error"), "a missing token is a state to explain, not an error");
            browser.screenshot("index-without-token");
        }
    }

    @Test
    void theTokenInTheLinkSignsTheLabelerInAndLeavesTheAddressBar() {
        String token = mintLabeler("ann-labeler");
        try (Browser browser = new Browser()) {
            browser.open(pages + "?token=" + token);
            browser.waitForText("#who", "ann-labeler");
            assertFalse(browser.url().contains(token), browser.url());
            assertFalse(browser.url().contains("token="), browser.url());
            browser.screenshot("index-signed-in");

            // kept for the tab's session: a reload, with no token in the address, still knows the labeler
            browser.reload();
            browser.waitForText("#who", "ann-labeler");
        }
    }

    private String mintLabeler(String subject) {
        return given().auth().oauth2(admin.adminToken()).contentType(ContentType.JSON)
                .body("{\"subject\": \"" + subject + "\", \"role\": \"labeler\"}")
                .post("/api/v1/tokens").then().statusCode(201)
                .extract().path("token");
    }
}
