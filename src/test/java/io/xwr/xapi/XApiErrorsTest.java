package io.xwr.xapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** X's error bodies, v2 and v1.1, read into the reason callers act on (spec 1.6, 4.2, 5.6). */
class XApiErrorsTest {
    @Test
    void readsTheV2ReasonAndDetail() {
        assertArrayEquals(
                new String[] {"CrcValidationFailed", "the CRC timed out"},
                XApiErrors.reason("{\"errors\":[{\"message\":\"CrcValidationFailed: the CRC timed out\"}]}", 400));
    }

    @Test
    void namesTheV1CodesAsV2Does() {
        assertArrayEquals(
                new String[] {"CrcValidationFailed", "Webhook is marked invalid and requires a CRC check."},
                XApiErrors.reason(
                        "{\"errors\":[{\"code\":214,\"message\":\"Webhook is marked invalid and requires a CRC check.\"}]}",
                        400));
        assertArrayEquals(
                new String[] {"ReplayConflictError", "A replay job is already in progress for this webhook."},
                XApiErrors.reason(
                        "{\"errors\":[{\"code\":355,\"message\":\"A replay job is already in progress for this webhook.\"}]}",
                        409));
        assertArrayEquals(
                new String[] {"QueryParamInvalid", "from_date must be within the past 5 days"},
                XApiErrors.reason(
                        "{\"errors\":[{\"code\":356,\"message\":\"from_date must be within the past 5 days\"}]}", 400));
        assertArrayEquals(
                new String[] {"WebhookIdInvalid", "Sorry, that page does not exist."},
                XApiErrors.reason(
                        "{\"errors\":[{\"code\":34,\"message\":\"Sorry, that page does not exist.\"}]}", 404));
    }

    @Test
    void tellsTheWebhookCapFromACrcFailureUnderCode214() {
        assertArrayEquals(
                new String[] {"TooManyResources", "Too many resources already created."},
                XApiErrors.reason(
                        "{\"errors\":[{\"code\":214,\"message\":\"Too many resources already created.\"}]}", 403));
        assertArrayEquals(
                new String[] {
                    "CrcValidationFailed",
                    "High latency on CRC GET request. Your webhook should respond in less" + " than 3 seconds."
                },
                XApiErrors.reason(
                        "{\"errors\":[{\"code\":214,\"message\":\"High latency on CRC GET request. Your webhook should"
                                + " respond in less than 3 seconds.\"}]}",
                        403));
    }

    @Test
    void anUnknownCodeStaysTheHttpStatus() {
        assertArrayEquals(
                new String[] {"HTTP 400", "Something new."},
                XApiErrors.reason("{\"errors\":[{\"code\":99999,\"message\":\"Something new.\"}]}", 400));
    }
}
