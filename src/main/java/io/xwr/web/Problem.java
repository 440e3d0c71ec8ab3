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
                .entity(of(status.getStatusCode(), slug, detail))
                .build();
    }

    /** The problem of a status, named by its slug. */
    public static Problem of(int status, String slug, String detail) {
        return new Problem(
                "urn:xwr:problem:" + slug,
                Response.Status.fromStatusCode(status).getReasonPhrase(),
                status,
                detail);
    }
}
