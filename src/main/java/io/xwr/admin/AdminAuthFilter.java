package io.xwr.admin;

import io.xwr.config.AdminConfig;
import io.xwr.web.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Guards {@code /admin/**} with the bearer token {@code xwr.admin.token}. With no token configured, every admin
 * request is refused: an unconfigured service exposes nothing.
 */
@ApplicationScoped
public class AdminAuthFilter {
    private static final Logger LOG = Logger.getLogger(AdminAuthFilter.class);
    private static final String BEARER = "Bearer ";

    private final Optional<byte[]> expectedDigest;

    AdminAuthFilter(AdminConfig config) {
        this.expectedDigest = config.token().filter(t -> !t.isBlank()).map(AdminAuthFilter::digest);
        if (expectedDigest.isEmpty()) {
            LOG.warn("xwr.admin.token is not set: the admin API refuses every request.");
        }
    }

    @ServerRequestFilter
    public Optional<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!(path.equals("/admin") || path.startsWith("/admin/"))
                || request.getMethod().equals("GET") && AdminPageResource.SHELL.contains(path)) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (expectedDigest.isPresent()
                && header != null
                && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                // Digests have equal length, so the comparison time reveals nothing about the token.
                && MessageDigest.isEqual(
                        expectedDigest.get(),
                        digest(header.substring(BEARER.length()).trim()))) {
            return Optional.empty();
        }
        return Optional.of(Response.fromResponse(Problem.response(
                        Response.Status.UNAUTHORIZED, "unauthorized", "A valid bearer token is required."))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"xwr-admin\"")
                .build());
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
