package io.xwr.ingress;

/** How one POST ended; the resource maps each case to exactly one status. */
public sealed interface DeliveryOutcome {

    /** Committed: answer 200. */
    record Accepted(long deliveryId) implements DeliveryOutcome {}

    /** Refused before anything was written. */
    record Rejected(Rejection rejection) implements DeliveryOutcome {}

    /** Verified but not durable (database unreachable): answer 503 so X retries. */
    record Unavailable(String cause) implements DeliveryOutcome {}

    /** Why a delivery was refused, with the status it earns. */
    enum Rejection {
        TOO_LARGE(413, "too-large", "The delivery body exceeds the configured limit."),
        UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Deliveries must be application/json."),
        SIGNATURE_MISSING(401, "signature-missing", "The x-twitter-webhooks-signature header is missing."),
        SIGNATURE_MALFORMED(401, "signature-malformed", "The signature header is not in X's sha256=<base64> format."),
        SIGNATURE_MISMATCH(401, "signature-mismatch", "The signature does not match the body."),
        NOT_AN_OBJECT(400, "not-an-object", "A delivery must be a JSON object.");

        final int status;
        final String slug;
        final String detail;

        Rejection(int status, String slug, String detail) {
            this.status = status;
            this.slug = slug;
            this.detail = detail;
        }
    }
}
