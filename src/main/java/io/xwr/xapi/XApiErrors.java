package io.xwr.xapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/** Turns X's error answers into {@link XApiException}s (registered on every X client interface). */
public class XApiErrors implements ResponseExceptionMapper<XApiException> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REASON = Pattern.compile("^([A-Za-z]+)(?::\\s*(.*))?$", Pattern.DOTALL);

    @Override
    public boolean handles(int status, MultivaluedMap<String, Object> headers) {
        return status >= 400;
    }

    @Override
    public XApiException toThrowable(Response response) {
        int status = response.getStatus();
        if (status == 429) {
            // the caller knows the endpoint group and records the hold under it
            return new XApiException.RateLimited("X API", resetAt(response.getHeaderString("x-rate-limit-reset")));
        }
        String[] reason = reason(body(response), status);
        return status >= 500
                ? new XApiException.Unavailable(status, reason[0])
                : new XApiException.Rejected(status, reason[0], clip(reason[1]));
    }

    /** X's {@code x-rate-limit-reset} (epoch seconds), or null when absent or unreadable. */
    static Instant resetAt(String header) {
        try {
            return header == null ? null : Instant.ofEpochSecond(Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The v1.1 answers' numeric codes, named as the v2 API names the same refusal (spec 1.6, 5.6): callers act on
     * the name (re-validate on {@code CrcValidationFailed}) whichever API answered.
     */
    private static final Map<Integer, String> LEGACY_CODES = Map.ofEntries(
            Map.entry(214, "CrcValidationFailed"),
            Map.entry(355, "ReplayConflictError"),
            Map.entry(356, "QueryParamInvalid"),
            Map.entry(357, "QueryParamInvalid"),
            Map.entry(358, "QueryParamInvalid"),
            Map.entry(360, "WebhookIdInvalid"),
            Map.entry(368, "QueryParamInvalid"),
            Map.entry(34, "WebhookIdInvalid"),
            Map.entry(200, "ReplayNotEnabled"),
            Map.entry(32, "AuthenticationFailed"),
            Map.entry(61, "ClientNotPermitted"),
            Map.entry(88, "RateLimited"));

    /**
     * X's {@code "<Reason>: <Details>"} message of the first error; a v1.1 numeric code by its v2 name, with its
     * message as the detail; else the problem title.
     */
    static String[] reason(String body, int status) {
        try {
            JsonNode root = JSON.readTree(body);
            JsonNode first = root.path("errors").path(0);
            String message = first.path("message").asText("");
            Matcher m = REASON.matcher(message);
            if (m.matches()) {
                return new String[] {m.group(1), m.group(2)};
            }
            if (first.path("code").canConvertToInt() && first.path("code").isIntegralNumber()) {
                int code = first.path("code").asInt();
                // 214 is also the v1.1 code of a registration refused for the app's webhook cap
                String name = code == 214 && message.startsWith("Too many resources")
                        ? "TooManyResources"
                        : LEGACY_CODES.get(code);
                if (name != null) {
                    return new String[] {name, message};
                }
            }
            String title = root.path("title").asText("");
            if (!title.isEmpty()) {
                return new String[] {
                    title, message.isEmpty() ? root.path("detail").asText("") : message
                };
            }
            if (!message.isEmpty()) {
                return new String[] {"HTTP " + status, message};
            }
        } catch (Exception e) {
            // not JSON: fall through
        }
        return new String[] {"HTTP " + status, ""};
    }

    private static String clip(String detail) {
        return detail == null || detail.length() <= 300 ? detail : detail.substring(0, 300) + "…";
    }

    private static String body(Response response) {
        try {
            return response.hasEntity() ? response.readEntity(String.class) : "";
        } catch (RuntimeException e) {
            return "";
        }
    }
}
