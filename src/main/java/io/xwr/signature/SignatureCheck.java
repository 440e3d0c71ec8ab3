package io.xwr.signature;

/** The outcome of checking a POST's signature. */
public sealed interface SignatureCheck {

    /** The signature matched one of the configured secrets. */
    record Valid(VerifiedDelivery delivery) implements SignatureCheck {}

    /** The delivery must not be processed. */
    record Invalid(Reason reason) implements SignatureCheck {}

    /** Why a signature was refused; never echoed in detail to the caller. */
    enum Reason {
        /** No {@code x-twitter-webhooks-signature} header. */
        MISSING,
        /** Not {@code sha256=} + 44 characters of padded standard base64. */
        MALFORMED,
        /** Well formed, but no configured secret produces it for these bytes. */
        MISMATCH
    }
}
