package io.xwr.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** The operator API. */
@ConfigMapping(prefix = "xwr.admin")
public interface AdminConfig {

    /** Bearer token required on {@code /admin/**}; without one configured, every admin request is refused. */
    Optional<String> token();
}
