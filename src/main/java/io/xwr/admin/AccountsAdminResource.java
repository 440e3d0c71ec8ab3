package io.xwr.admin;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.xwr.accounts.Accounts;
import io.xwr.accounts.Onboarding;
import io.xwr.web.Problem;
import io.xwr.xapi.ActivitySubscription;
import io.xwr.xapi.XApi;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Connecting X accounts (OAuth 2.0 with PKCE) and listing them; tokens never leave the database. */
@Path("/admin/x/accounts")
@Produces(MediaType.APPLICATION_JSON)
public class AccountsAdminResource {
    private final Onboarding onboarding;
    private final Accounts accounts;
    private final XApi x;

    AccountsAdminResource(Onboarding onboarding, Accounts accounts, XApi x) {
        this.onboarding = onboarding;
        this.accounts = accounts;
        this.x = x;
    }

    @RegisterForReflection
    public record ConnectRequest(List<String> eventTypes) {}

    /** A connected account as operators see it: no token. */
    @RegisterForReflection
    public record AccountView(
            String userId,
            String username,
            String scopes,
            List<String> eventTypes,
            List<String> subscriptions,
            String state,
            Instant accessExpiresAt,
            Instant connectedAt,
            String note) {}

    /** Starts connecting an account: answers X's authorize URL for the operator (or the user) to open. */
    @POST
    @Path("/connect")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response connect(ConnectRequest request) {
        if (request == null
                || request.eventTypes() == null
                || request.eventTypes().isEmpty()
                || !request.eventTypes().stream().allMatch(Onboarding::validEventType)) {
            return Problem.response(
                    Response.Status.BAD_REQUEST,
                    "bad-request",
                    "eventTypes must list X Activity event types, e.g. [\"post.mention.create\", \"dm.received\"].");
        }
        if (onboarding.notReady().isPresent()) {
            return Problem.response(
                    Response.Status.SERVICE_UNAVAILABLE,
                    "oauth-not-configured",
                    onboarding.notReady().get() + ".");
        }
        return Response.ok(Map.of("authorizeUrl", onboarding.start(request.eventTypes())))
                .build();
    }

    /**
     * Disconnects an account: its subscriptions at X are deleted, then its tokens here (X offers no revocation
     * this service relies on; the user can still remove the app at X).
     */
    @DELETE
    @Path("/{userId: [0-9]{1,19}}")
    public Response disconnect(@PathParam("userId") String userId) {
        if (accounts.all().stream().noneMatch(a -> a.userId().equals(userId))) {
            return Problem.response(Response.Status.NOT_FOUND, "not-found", "No connected account " + userId + ".");
        }
        x.deleteActivitySubscriptionsOf(userId);
        accounts.remove(userId);
        return Response.noContent().build();
    }

    /**
     * Re-creates the subscriptions of an account's chosen event types that X no longer has (X answered that one
     * is gone, or someone deleted it there), with the user's token for private types.
     */
    @POST
    @Path("/{userId: [0-9]{1,19}}/resubscribe")
    public Response resubscribe(@PathParam("userId") String userId) {
        Accounts.Stored account = accounts.all().stream()
                .filter(a -> a.userId().equals(userId))
                .findFirst()
                .orElse(null);
        if (account == null) {
            return Problem.response(Response.Status.NOT_FOUND, "not-found", "No connected account " + userId + ".");
        }
        if (!"CONNECTED".equals(account.state())) {
            return Problem.response(
                    Response.Status.CONFLICT, "needs-reauthorization", "The account must be connected again first.");
        }
        return Response.ok(onboarding.resubscribe(account, subscribedAtX().getOrDefault(userId, List.of())))
                .build();
    }

    /** The event types X has subscriptions for, by user (one call to X). */
    private Map<String, List<String>> subscribedAtX() {
        Map<String, List<String>> byUser = new java.util.HashMap<>();
        for (ActivitySubscription s : x.activitySubscriptions()) {
            if (s.userId() != null) {
                byUser.computeIfAbsent(s.userId(), u -> new java.util.ArrayList<>())
                        .add(s.eventType());
            }
        }
        return byUser;
    }

    /** Accounts with their chosen event types, the subscriptions X has for them (absent when X is away). */
    @GET
    public Response list() {
        Map<String, List<String>> atX;
        try {
            atX = subscribedAtX();
        } catch (io.xwr.xapi.XApiException
                | org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException e) {
            atX = null;
        }
        Map<String, List<String>> subscribed = atX;
        return Response.ok(accounts.all().stream()
                        .map(a -> new AccountView(
                                a.userId(),
                                a.username(),
                                a.scopes(),
                                List.of(a.eventTypes().split(",")),
                                subscribed == null ? null : subscribed.getOrDefault(a.userId(), List.of()),
                                a.state(),
                                a.expiresAt(),
                                a.connectedAt(),
                                a.note()))
                        .toList())
                .build();
    }
}
