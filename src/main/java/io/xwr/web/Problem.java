package io.xwr.web;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.core.Response;

/** An RFC 9457 problem body: short, stable, and never echoing what the caller sent. */
@RegisterForReflection // the entity of a Response: Quarkus cannot see it for the native image
public record Problem(String type, String title, int status, String detail) {
    public static final String MEDIA_TYPE = "application/problem+json";

    public static Response response(Response.Status status, String slug, String detail) {
        return Response.status(status)
                .type(MEDIA_TYPE)
                .entity(new Problem(
                        "urn:xwr:problem:" + slug, status.getReasonPhrase(), status.getStatusCode(), detail))
                .build();
    }
}
