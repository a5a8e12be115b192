package ai.instructflow.api.label;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.Arrays;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    @ParameterizedTest
    @ValueSource(strings = {"demonstrations", "rankings"})
    void aTaskPageShowsTheApiErrorForAnUnknownRunInsideThePage(String page) {
        String token = mintLabeler("bob-labeler");
        try (Browser browser = new Browser()) {
            browser.open(pages + page + ".html?run=nope&token=" + token);
            browser.waitForText("#who", "bob-labeler");
            String error = browser.waitForText("#error", "404");
            assertTrue(error.startsWith("Error 404: "), error);
            assertFalse(browser.isVisible("#task"), "no task is shown for a run that does not exist");
            browser.screenshot(page + "-unknown-run");
        }
    }

    /** The ranking page's order model, in the page's own script: the ranks it submits come from here. */
    @Test
    void aRankingOrderBecomesRanksWithTiesSharingTheFirstPosition() {
        try (Browser browser = new Browser()) {
            browser.open(pages + "rankings.html");
            browser.waitForText("#status", "You need a labeling link");

            List<?> withTies = (List<?>) browser.script("""
                    const order = new RankOrder(4, true);
                    const placed = [order.pick(2), order.pick(0), order.pick(3, true), order.pick(0), order.pick(1)];
                    return [placed, order.toString(), order.ranks(), order.complete()];""");
            // 3 > 1 = 4 > 2: response 3 best, 1 and 4 tied second, 2 last (a second pick of 1 is refused)
            assertEquals(List.of(true, true, true, false, true), withTies.get(0));
            assertEquals("3 > 1 = 4 > 2", withTies.get(1));
            assertEquals(List.of(1L, 3L, 0L, 1L), withTies.get(2));
            assertEquals(true, withTies.get(3));

            List<?> withoutTies = (List<?>) browser.script("""
                    const order = new RankOrder(4, false);
                    const placed = [order.pick(1), order.pick(0, true), order.pick(7), order.pick(3)];
                    order.undo();
                    return [placed, order.toString(), order.ranks(), order.complete()];""");
            assertEquals(List.of(true, false, false, true), withoutTies.get(0));
            assertEquals("2", withoutTies.get(1));
            assertEquals(Arrays.asList(null, 0L, null, null), withoutTies.get(2));
            assertEquals(false, withoutTies.get(3));
        }
    }

    private String mintLabeler(String subject) {
        return given().auth().oauth2(admin.adminToken()).contentType(ContentType.JSON)
                .body("{\"subject\": \"" + subject + "\", \"role\": \"labeler\"}")
                .post("/api/v1/tokens").then().statusCode(201)
                .extract().path("token");
    }
}
