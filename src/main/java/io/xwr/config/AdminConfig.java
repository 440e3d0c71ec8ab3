package io.xwr.config;

import io.smallrye.config.ConfigMapping;
import jakarta.validation.constraints.Size;
import java.util.Optional;

/** The operator API. */
@ConfigMapping(prefix = "xwr.admin")
public interface AdminConfig {

    /**
     * Bearer token required on {@code /admin/**}, at least 32 characters (e.g. {@code openssl rand -base64 32});
     * without one configured, every admin request is refused.
     */
    Optional<@Size(min = 32, message = "must be at least 32 characters") String> token();
}
