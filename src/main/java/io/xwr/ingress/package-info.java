/**
 * The webhook endpoint: CRC answers, size and media-type limits, the signature gate, and the decision
 * between 200, 4xx and 503. Parses no event semantics and touches no JPA entity: it hands verified bytes to
 * the normalizer and the recorder.
 */
package io.xwr.ingress;
