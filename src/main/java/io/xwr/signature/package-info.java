/**
 * Trust in X's requests: HMAC-SHA256 with the app's consumer secrets, CRC answers, constant-time signature
 * checks. Knows nothing of HTTP; only {@link io.xwr.signature.SignatureVerifier} creates a {@link
 * io.xwr.signature.VerifiedDelivery}.
 */
package io.xwr.signature;
