package io.xwr.admin;

import static io.restassured.RestAssured.given;
import static io.xwr.testing.Deliveries.randomId;
import static io.xwr.testing.Deliveries.tweet;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.xwr.testing.Chromium;
import io.xwr.testing.Deliveries;
import io.xwr.testing.XSigner;
import io.xwr.testing.XSimulator;
import io.xwr.testing.XSimulatorResource;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The operator page in a real headless Chromium, over the service's HTTPS port, against the real API. */
@QuarkusTest
class OperatorPageTest {
    private static final String TOKEN = "test-admin-token-0123456789abcdef";
    private static ChromeDriver browser;
    private final XSimulator sim = XSimulatorResource.simulator();

    @TestHTTPResource(value = "/admin", tls = true)
    URL page;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = Chromium.start();
    }

    @AfterAll
    static void quitBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void operatorSignsInSeesADeliveredEventAndRequestsAReplay() throws IOException {
        // Given: a delivery X signed, and a CRC answered
        String account = randomId();
        String post = randomId();
        byte[] body = tweet(account, post);
        Deliveries.post(body, XSigner.sign(body)).statusCode(200);
        given().queryParam("crc_token", "page").get("/webhooks/x").then().statusCode(200);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));

        // When: the page is opened, a wrong token is refused, the right one signs in
        browser.get(page.toString());
        signIn("not-the-token");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "refused"));
        assertFalse(browser.findElement(By.id("dashboard")).isDisplayed());
        signIn(TOKEN);

        // Then: the delivered event is listed, with the figures and the webhook X knows
        String key = "aaa:" + account + ":tweet:" + post;
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#events tbody"), key));
        assertTrue(Long.parseLong(browser.findElement(By.id("deliveries-hour")).getText()) >= 1);
        // the CRC pulse reaches the database within its 5 s flush; the page refreshes every 5 s
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(d ->
                        !text(d, "last-crc").equals("–") && !text(d, "last-crc").equals("none yet"));

        // When: X has marked a webhook invalid and the operator re-validates it from the page
        String hook = sim.existingWebhook(page.toString().replace("/admin", "/webhooks/x") + "?page=" + post, true);
        sim.invalidate(hook);
        long puts = sim.calls("PUT", "/2/webhooks/" + hook);
        browser.navigate().refresh(); // the webhook list is read at sign-in; the token survives in the tab
        By revalidate = By.xpath("//table[@id='webhooks']//tr[td[1][text()='" + hook + "']]//button");
        wait.until(ExpectedConditions.elementToBeClickable(revalidate)).click();

        // Then: X ran its CRC against the service, which answered it, and the page says so
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("webhooks-note"), "Webhook " + hook + " passed the CRC."));
        assertEquals(puts + 1, sim.calls("PUT", "/2/webhooks/" + hook));
        assertTrue(sim.valid(hook));

        // When: the operator asks for a replay of the prefilled window (an hour ago to 15 minutes ago)
        browser.findElement(By.id("replay")).click();

        // Then: the page confirms, the gap is listed, and the service recorded it
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("replay-result"), "Replay requested"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#gaps tbody"), "MANUAL"));
        given().header("Authorization", "Bearer " + TOKEN)
                .get("/admin/gaps")
                .then()
                .statusCode(200)
                .body("cause", hasItem("MANUAL"));
        // kept for whoever reviews the page: target/operator-page.png
        Files.write(Path.of("target/operator-page.png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void operatorManagesTheStreamsRulesAndLinksFromThePage() throws IOException {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        String value = "from:" + randomId() + " -is:retweet";
        String hook =
                sim.existingWebhook(page.toString().replace("/admin", "/webhooks/x") + "?links=" + randomId(), true);
        browser.get(page.toString());
        if (browser.findElement(By.id("login")).isDisplayed()) {
            signIn(TOKEN);
        }

        // When: a rule X cannot parse is tried in a dry run
        browser.findElement(By.id("rule-value")).sendKeys("(cats OR dogs");
        browser.findElement(By.id("rule-dry-run")).click();

        // Then: X's reason is shown, and nothing was added
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rule-errors"), "unbalanced parentheses"));
        assertFalse(sim.streamRules().containsValue("(cats OR dogs"));

        // When: a good rule is added with a tag
        browser.findElement(By.id("rule-value")).clear();
        browser.findElement(By.id("rule-value")).sendKeys(value);
        browser.findElement(By.id("rule-tag")).sendKeys("page");
        browser.findElement(By.id("rule-add")).click();

        // Then: listed, at X too
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#stream-rules tbody"), value));
        assertTrue(sim.streamRules().containsValue(value));

        // When: the stream is linked to a webhook with fields
        browser.findElement(By.id("link-webhook")).sendKeys(hook);
        browser.findElement(By.id("link-fields")).sendKeys("tweet.fields=created_at,author_id expansions=author_id");
        browser.findElement(By.id("link-add")).click();

        // Then
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#stream-links tbody"), hook));
        assertEquals(
                List.of("expansions=author_id", "tweet.fields=author_id", "created_at"),
                sim.streamLinks().get(hook));
        Files.write(Path.of("target/operator-page-stream.png"), browser.getScreenshotAs(OutputType.BYTES));

        // When: the rule is deleted and the link removed from the page
        click(wait, By.xpath("//table[@id='stream-rules']//tr[td[1][text()='" + value + "']]//button"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rule-result"), "Deleted rule"));
        click(wait, By.xpath("//table[@id='stream-links']//tr[td[1][text()='" + hook + "']]//button"));
        wait.until(
                ExpectedConditions.textToBePresentInElementLocated(By.id("link-result"), "Unlinked webhook " + hook));

        // Then
        assertFalse(sim.streamRules().containsValue(value));
        assertFalse(sim.streamLinks().containsKey(hook));
    }

    /** Clicks once the element is there, again if a refresh replaced it meanwhile. */
    private static void click(WebDriverWait wait, By element) {
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            d.findElement(element).click();
            return true;
        });
    }

    /** Each test signs in afresh: the token lives in the tab's sessionStorage. */
    @org.junit.jupiter.api.AfterEach
    void signOut() {
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
    }

    @Test
    void operatorConnectsAnAccountFromThePageAndItsActivityIsSubscribedAtX() throws IOException {
        // Given: the user who will consent at X
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        String user = randomId();
        sim.authorizingUser(user);
        sim.callbackOrigin(page.toString().replace("/admin", ""));
        browser.get(page.toString());
        signIn(TOKEN);

        // When: the operator chooses event types and connects; the user consents at X
        WebElement types = wait.until(ExpectedConditions.elementToBeClickable(By.id("connect-types")));
        types.clear();
        types.sendKeys("dm.received profile.update.bio");
        browser.findElement(By.id("connect")).click();

        // Then: X sent the browser back to the service, which connected the account and subscribed it at X
        wait.until(d -> d.getPageSource().contains("Connected X account " + user));
        assertEquals(List.of("dm.received", "profile.update.bio"), sim.activitySubscriptionsOf(user));
        browser.get(page.toString());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#accounts tbody"), user));
        assertTrue(text(browser, "accounts").contains("CONNECTED"));
        Files.write(Path.of("target/operator-page-accounts.png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    /**
     * The charts are drawn from what the service measured (deliveries, events, ack latency) with a requested
     * replay window shaded on the time axis; the events are filtered by account, paged, and one opens on its
     * normalized data and its raw delivery.
     */
    @Test
    void chartsShowRealTrafficAndAnEventOpensOnItsRawDelivery() throws IOException {
        // Given: 22 deliveries for one account (more than a page of 20), and a replay window requested
        String account = randomId();
        List<String> posts = new java.util.ArrayList<>();
        for (int i = 0; i < 22; i++) {
            String post = randomId();
            posts.add(post);
            byte[] body = tweet(account, post);
            Deliveries.post(body, XSigner.sign(body)).statusCode(200);
        }
        java.time.Instant now = java.time.Instant.now();
        given().header("Authorization", "Bearer " + TOKEN)
                .contentType("application/json")
                .body(java.util.Map.of(
                        "from",
                                now.minusSeconds(2400 + new java.util.Random().nextInt(600))
                                        .toString(),
                        "to", now.minusSeconds(1500).toString()))
                .post("/admin/replays")
                .then()
                .statusCode(202);
        // the page re-renders its tables every 5 s: an element read as it is replaced is read again
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);

        // When
        browser.get(page.toString());
        if (browser.findElement(By.id("login")).isDisplayed()) {
            signIn(TOKEN);
        }

        // Then: the rate and latency lines have points, and the window is shaded
        wait.until(d -> points(d, "#chart-rates path.deliveries") > 0 && points(d, "#chart-latency path.p99") > 0);
        assertTrue(points(browser, "#chart-rates path.events") > 0);
        assertFalse(
                browser.findElements(By.cssSelector("#chart-rates rect.gap")).isEmpty(), "the gap is marked");
        browser.findElement(By.id("range-day")).click();
        wait.until(d ->
                d.findElement(By.cssSelector("#activity .bucket")).getText().equals("15 minutes"));
        wait.until(d -> points(d, "#chart-rates path.deliveries") > 0);
        browser.findElement(By.id("range-hour")).click();

        // When: the operator filters on the account
        browser.findElement(By.id("filter-account")).sendKeys(account);
        browser.findElement(By.id("filter-apply")).click();

        // Then: 20 of its events, then the other 2 on the next page, then back. (Newest first by event id: the
        // events of deliveries projected in one batch are numbered in key order, not in the order they came.)
        java.util.Set<String> all = new java.util.HashSet<>();
        posts.forEach(p -> all.add("aaa:" + account + ":tweet:" + p));
        wait.until(d -> rows(d).size() == 20 && all.containsAll(keys(d)));
        java.util.Set<String> first = new java.util.HashSet<>(keys(browser));
        browser.findElement(By.id("events-older")).click();
        wait.until(d -> rows(d).size() == 2);
        java.util.Set<String> seen = new java.util.HashSet<>(first);
        seen.addAll(keys(browser));
        assertEquals(all, seen, "the two pages hold every event of the account once");
        browser.findElement(By.id("events-newer")).click();
        wait.until(d -> rows(d).size() == 20 && first.equals(new java.util.HashSet<>(keys(d))));

        // When: an event is opened
        String key = first.iterator().next();
        String post = key.substring(key.lastIndexOf(':') + 1);
        browser.findElement(By.cssSelector("#events tbody tr[data-key='" + key + "']"))
                .click();

        // Then: its normalized data and its raw delivery, headers and body, are shown as text
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-key"), key));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-body"), "hello " + post));
        assertTrue(text(browser, "detail-event").contains("\"postId\": \"" + post + "\""));
        assertTrue(text(browser, "detail-headers").contains("x-twitter-webhooks-signature"));
        assertTrue(text(browser, "detail-delivery").contains("PROJECTED"));
        Files.write(Path.of("target/operator-page-activity.png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    private static int points(WebDriver driver, String css) {
        List<WebElement> paths = driver.findElements(By.cssSelector(css));
        return paths.isEmpty() ? 0 : Integer.parseInt(paths.getFirst().getAttribute("data-points"));
    }

    private static List<String> keys(WebDriver driver) {
        return rows(driver).stream().map(r -> r.getAttribute("data-key")).toList();
    }

    private static List<WebElement> rows(WebDriver driver) {
        return driver.findElements(By.cssSelector("#events tbody tr"));
    }

    @Test
    void theShellIsPublicButEveryFigureNeedsTheToken() {
        given().get("/admin")
                .then()
                .statusCode(200)
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .body(not(containsString(TOKEN)));
        given().get("/admin/page.js").then().statusCode(200);
        given().get("/admin/page.css").then().statusCode(200);
        given().get("/admin/status").then().statusCode(401);
        given().header("Authorization", "Bearer " + TOKEN)
                .get("/admin/status")
                .then()
                .statusCode(200);
        assertEquals(401, given().get("/admin/events").statusCode());
    }

    private static void signIn(String token) {
        browser.findElement(By.id("token")).clear();
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.id("sign-in")).click();
    }

    private static String text(WebDriver driver, String id) {
        return driver.findElement(By.id(id)).getText();
    }
}
