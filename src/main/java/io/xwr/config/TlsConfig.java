package io.xwr.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The HTTPS port's certificate. */
@ConfigMapping(prefix = "xwr.tls")
public interface TlsConfig {

    /**
     * Serve a generated self-signed certificate when no key store is configured. Off by default, so a production
     * start without {@code quarkus.tls.https.key-store.*} fails instead of serving a certificate X refuses (spec
     * 10.3); dev mode and the tests turn it on, as may a pod behind a proxy that terminates X's TLS.
     */
    @WithDefault("false")
    boolean allowSelfSigned();
}
