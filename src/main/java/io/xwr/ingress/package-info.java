/**
 * The webhook endpoint: CRC answers, size and media-type limits, the signature gate, and the decision
 * between 200, 4xx and 503. Parses no event semantics and touches no JPA entity: it hands verified bytes to
 * the raw log's group commit, and the projection reads them behind it.
 */
package io.xwr.ingress;
