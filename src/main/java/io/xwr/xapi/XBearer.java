package io.xwr.xapi;

import io.xwr.config.XApiConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

/** Adds the app-only bearer token to every call to X; the token never appears anywhere else. */
@ApplicationScoped
public class XBearer implements ClientHeadersFactory {
    private final XApiConfig config;

    XBearer(XApiConfig config) {
        this.config = config;
    }

    @Override
    public MultivaluedMap<String, String> update(
            MultivaluedMap<String, String> incoming, MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        config.bearerToken().ifPresent(token -> headers.putSingle("Authorization", "Bearer " + token));
        return headers;
    }
}
