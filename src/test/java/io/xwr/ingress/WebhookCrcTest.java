package io.xwr.ingress;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** CRC over HTTP, with the wire encodings of spec 11.1 (the first configured secret answers). */
@QuarkusTest
class WebhookCrcTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            C2 | crc_token=foo                                    | sha256=KGwPHQJPaVoxk5RWMCZXvu7ppQqe20ugPzzV9ed1O3o=
            C4 | crc_token=d2VsY29tZSt0by90aGUrcHJvdG9jb2w9&nonce=MTU5NTg1NDQ2NzQ5Nw | sha256=Qxl/nrivNjAcEsBUJBRrpidazaJYHsFXTeLLUEm0hlM=
            C5 | crc_token=abc%2Bdef%2Fghi%3D                     | sha256=uNv5YGimdctqfnCeJq8HgxENK9PTOF6zPx1iuTbSFOw=
            C6 | crc_token=abc+def/ghi=                           | sha256=bJAqz0lqiL3iVQ51vp1ELT4zQAHwmEy81rUwiDSPy4g=
            """)
    void answersCrcWithTheFirstSecretUsingFormDecoding(String name, String query, String expected) {
        given().urlEncodingEnabled(false)
                .when()
                .get("/webhooks/x?" + query)
                .then()
                .statusCode(200)
                .contentType("application/json")
                .header("Cache-Control", "no-store")
                .body("$", aMapWithSize(1))
                .body("response_token", equalTo(expected));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "crc_token=%7B%22for_user_id%22%3A%221%22%7D", // a JSON body: the signing-oracle attack
                "crc_token=%5B1%5D",
                "crc_token=a%0Ab",
                "crc_token=",
                "nonce=abc"
            })
    void refusesTokensItMustNotSign(String query) {
        given().urlEncodingEnabled(false)
                .when()
                .get("/webhooks/x?" + query)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("type", startsWith("urn:xwr:problem:crc-"));
    }

    @Test
    void refusesTokensLongerThanTheLimit() {
        given().when().get("/webhooks/x?crc_token=" + "a".repeat(1025)).then().statusCode(400);
        given().when().get("/webhooks/x?crc_token=" + "a".repeat(1024)).then().statusCode(200);
    }

    @Test
    void refusesMethodsOtherThanGetAndPost() {
        given().when().put("/webhooks/x").then().statusCode(405);
        given().when().delete("/webhooks/x").then().statusCode(405);
    }
}
