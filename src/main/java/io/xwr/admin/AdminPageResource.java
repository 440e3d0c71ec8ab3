package io.xwr.admin;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * The operator page at {@code /admin}. The page and its script hold no data, so they load without the token; the
 * script asks for the token and sends it as a bearer header on every admin API call, exactly as any client.
 * Nothing is ambient (no cookie), so there is nothing to forge across sites.
 */
@Path("/admin")
public class AdminPageResource {
    /** The only admin paths served without the token: the page's static shell. */
    static final Set<String> SHELL = Set.of("/admin", "/admin/", "/admin/page.js", "/admin/page.css");

    /** Scripts and styles only from this origin, no inline code, no framing: event text is X users' words. */
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final byte[] html = read("index.html");
    private final byte[] script = read("page.js");
    private final byte[] style = read("page.css");

    @GET
    @Produces("text/html; charset=utf-8")
    public Response page() {
        return shell(html);
    }

    @GET
    @Path("/page.js")
    @Produces("text/javascript; charset=utf-8")
    public Response script() {
        return shell(script);
    }

    @GET
    @Path("/page.css")
    @Produces("text/css; charset=utf-8")
    public Response style() {
        return shell(style);
    }

    private static Response shell(byte[] body) {
        return Response.ok(body)
                .header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    private static byte[] read(String name) {
        try (InputStream in = AdminPageResource.class.getResourceAsStream("/admin-page/" + name)) {
            if (in == null) {
                throw new IllegalStateException("admin-page/" + name + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
