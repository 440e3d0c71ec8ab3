package io.xwr.ops;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The alerts of k8s/components/monitoring can fire: every series they select (metric name and exact label values)
 * is exported by a freshly started service, before anything happened. A renamed meter or label breaks this test
 * instead of silencing an alert.
 */
@QuarkusTest
class AlertRulesTest {
    private static final Path RULES = Path.of("k8s/components/monitoring/prometheusrule.yaml");
    private static final Pattern SELECTOR = Pattern.compile("(xwr_[a-z_]+)(\\{([^}]*)})?");
    private static final Pattern EXACT = Pattern.compile("([a-z_]+)=\"([^\"]*)\"");

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void everySeriesAnAlertSelectsIsExported() throws IOException {
        Set<String> selectors = selectors();
        assertTrue(selectors.size() >= 9, selectors.toString());
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String scrape =
                    given().get(metrics).then().statusCode(200).extract().asString();
            assertEquals(
                    List.of(),
                    selectors.stream().filter(s -> !exported(scrape, s)).toList());
        });
    }

    /** A scrape line of the selector's metric carrying each of its exact label values. */
    private static boolean exported(String scrape, String selector) {
        Matcher m = SELECTOR.matcher(selector);
        assertTrue(m.matches(), selector);
        List<String> labels = new ArrayList<>();
        if (m.group(3) != null) {
            Matcher exact = EXACT.matcher(m.group(3));
            while (exact.find()) {
                labels.add(exact.group(1) + "=\"" + exact.group(2) + "\"");
            }
        }
        return scrape.lines()
                .filter(line -> line.startsWith(m.group(1) + "{") || line.startsWith(m.group(1) + " "))
                .anyMatch(line -> labels.stream().allMatch(line::contains));
    }

    private static Set<String> selectors() throws IOException {
        JsonNode rule = new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile());
        Set<String> selectors = new LinkedHashSet<>();
        for (JsonNode group : rule.path("spec").path("groups")) {
            for (JsonNode alert : group.path("rules")) {
                Matcher m = SELECTOR.matcher(alert.path("expr").asText());
                while (m.find()) {
                    selectors.add(m.group());
                }
            }
        }
        return selectors;
    }
}
