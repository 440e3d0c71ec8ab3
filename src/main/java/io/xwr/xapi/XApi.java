package io.xwr.xapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.xwr.config.XApiConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Everything this service asks of X, behind one fault-tolerant bean. Every method: a 10 s timeout, retries
 * with exponential back-off and jitter on 5xx, timeouts and connection failures (never on 4xx), and a circuit
 * breaker that stops calling a failing X. A 429 holds its endpoint (method and path, as X counts) until X's reset time, and the replay
 * budget is counted before X has to refuse; both surface as {@link XApiException.RateLimited}.
 */
@ApplicationScoped
@Timeout(10_000)
@Retry(
        maxRetries = 3,
        delay = 500,
        jitter = 250,
        maxDuration = 60_000,
        retryOn = {XApiException.Unavailable.class, ProcessingException.class, TimeoutException.class},
        abortOn = {XApiException.Rejected.class, XApiException.RateLimited.class})
@ExponentialBackoff(factor = 2, maxDelay = 10_000)
@CircuitBreaker(
        requestVolumeThreshold = 8,
        failureRatio = 0.5,
        delay = 30_000,
        successThreshold = 1,
        skipOn = {XApiException.Rejected.class, XApiException.RateLimited.class})
public class XApi {
    /** X's replay date format: minutes, UTC. */
    static final DateTimeFormatter MINUTE =
            DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);

    // Rate limits: X counts each endpoint (method and path) on its own, so a 429 holds that endpoint only; the
    // group names are also the metric's endpoint tag.
    private static final String WEBHOOKS_LIST = "GET /2/webhooks";
    private static final String WEBHOOKS_CREATE = "POST /2/webhooks";
    private static final String WEBHOOKS_VALIDATE = "PUT /2/webhooks/:id";
    private static final String WEBHOOKS_DELETE = "DELETE /2/webhooks/:id";
    private static final String REPLAY = "POST /2/webhooks/replay";
    private static final String AAA_REPLAY = "POST /2/account_activity/replay/webhooks/:id/subscriptions/all";
    private static final String AAA_SUBSCRIPTIONS = "GET /2/account_activity/webhooks/:id/subscriptions/all/list";
    private static final String AAA_UNSUBSCRIBE = "DELETE /2/account_activity/webhooks/:id/subscriptions/:user/all";
    private static final String ACTIVITY_LIST = "GET /2/activity/subscriptions";
    private static final String ACTIVITY_CREATE = "POST /2/activity/subscriptions";
    private static final String ACTIVITY_DELETE = "DELETE /2/activity/subscriptions/:id";
    private static final String STREAM_RULES = "GET /2/tweets/search/stream/rules";
    private static final String STREAM_RULES_CHANGE = "POST /2/tweets/search/stream/rules";
    private static final String STREAM_LINKS = "GET /2/tweets/search/webhooks";
    private static final String STREAM_LINK = "POST /2/tweets/search/webhooks/:id";
    private static final String STREAM_UNLINK = "DELETE /2/tweets/search/webhooks/:id";
    private static final String STREAM_CONNECT = "GET /2/tweets/search/stream";
    private static final String COMPLIANCE_CREATE = "POST /2/compliance/jobs";
    private static final String COMPLIANCE_GET = "GET /2/compliance/jobs/:id";

    private final WebhooksClient webhooks;
    private final AccountActivityClient accountActivity;
    private final ActivityClient activity;
    private final ComplianceClient compliance;
    private final StreamClient stream;
    private final StreamConnection connection;
    private final PresignedTransfers transfers;
    private final RateLimits limits;
    private final XApiConfig config;
    private final MeterRegistry registry;

    XApi(
            @RestClient WebhooksClient webhooks,
            @RestClient AccountActivityClient accountActivity,
            @RestClient ActivityClient activity,
            @RestClient ComplianceClient compliance,
            @RestClient StreamClient stream,
            StreamConnection connection,
            PresignedTransfers transfers,
            RateLimits limits,
            XApiConfig config,
            MeterRegistry registry) {
        this.webhooks = webhooks;
        this.accountActivity = accountActivity;
        this.activity = activity;
        this.compliance = compliance;
        this.stream = stream;
        this.connection = connection;
        this.transfers = transfers;
        this.limits = limits;
        this.config = config;
        this.registry = registry;
    }

    /** Whether a bearer token is configured; without one nothing is sent to X. */
    public boolean configured() {
        return config.bearerToken().filter(t -> !t.isBlank()).isPresent();
    }

    public List<Webhook> webhooks() {
        JsonNode answer = call(WEBHOOKS_LIST, 0, () -> webhooks.list("created_at,id,url,valid"));
        List<Webhook> all = new ArrayList<>();
        answer.path("data").forEach(w -> all.add(webhook(w)));
        return all;
    }

    /** Registers the URL; X runs a CRC against it before answering (CrcValidationFailed if it fails). */
    public Webhook registerWebhook(String url) {
        return webhook(call(WEBHOOKS_CREATE, 0, () -> webhooks.create(new XRequests.CreateWebhook(url)))
                .path("data"));
    }

    /**
     * Makes X run a CRC now; true when the webhook is valid afterwards. Older X answers say only that the
     * check was attempted; then the list tells the outcome.
     */
    public boolean validateWebhook(String webhookId) {
        JsonNode data =
                call(WEBHOOKS_VALIDATE, 0, () -> webhooks.validate(webhookId)).path("data");
        if (data.has("valid")) {
            return data.path("valid").asBoolean(false);
        }
        return webhooks().stream().anyMatch(w -> w.id().equals(webhookId) && w.valid());
    }

    public void deleteWebhook(String webhookId) {
        call(WEBHOOKS_DELETE, 0, () -> webhooks.delete(webhookId));
    }

    /**
     * Asks X to re-deliver a window, through the configured replay API. {@code from} and {@code to} are
     * minutes; the current API reads both as inclusive, the AAA one {@code to} as exclusive, so callers pass
     * one minute past the last they need.
     */
    // POST /2/webhooks/replay is not idempotent: after a timeout or a lost connection the job may exist at X, so
    // it is never retried here; the scheduler counts such a request as possibly submitted.
    @Retry(maxRetries = 0)
    public ReplayJob replay(String webhookId, Instant from, Instant to) {
        String fromDate = MINUTE.format(from);
        String toDate = MINUTE.format(to);
        JsonNode answer = config.replayApi() == XApiConfig.ReplayApi.ACCOUNT_ACTIVITY
                ? call(AAA_REPLAY, 5, () -> accountActivity.replay(webhookId, fromDate, toDate))
                : call(
                        REPLAY,
                        config.replayBudget(),
                        () -> webhooks.replay(new XRequests.Replay(webhookId, fromDate, toDate)));
        // data.job_id (current), replay_event.job_id (AAA quickstart) or top level (older OpenAPI): spec 5.6
        for (JsonNode job : List.of(answer.path("data"), answer.path("replay_event"), answer)) {
            if (job.hasNonNull("job_id")) {
                return new ReplayJob(job.path("job_id").asText(), instant(job.path("created_at")));
            }
        }
        throw new XApiException.Rejected(200, "UnexpectedAnswer", "no job_id in X's replay answer");
    }

    /** User ids subscribed to the webhook through the Account Activity API. */
    public List<String> accountActivitySubscriptions(String webhookId) {
        List<String> users = new ArrayList<>();
        call(AAA_SUBSCRIPTIONS, 0, () -> accountActivity.subscriptions(webhookId))
                .path("data")
                .path("subscriptions")
                .forEach(s -> users.add(s.path("user_id").asText()));
        return users;
    }

    public void deleteAccountActivitySubscription(String webhookId, String userId) {
        call(AAA_UNSUBSCRIBE, 0, () -> accountActivity.unsubscribe(webhookId, userId));
    }

    /** Every X Activity API subscription of the app, all pages. */
    public List<ActivitySubscription> activitySubscriptions() {
        List<ActivitySubscription> all = new ArrayList<>();
        String token = null;
        do {
            String page = token;
            JsonNode answer = call(ACTIVITY_LIST, 0, () -> activity.list(1000, page));
            answer.path("data").forEach(s -> all.add(subscription(s)));
            token = answer.path("meta").path("next_token").asText(null);
        } while (token != null && !token.isBlank());
        return all;
    }

    public ActivitySubscription createActivitySubscription(XRequests.CreateSubscription request) {
        JsonNode data = call(ACTIVITY_CREATE, 0, () -> activity.create(request)).path("data");
        // {"data":{...}}, {"data":{"subscription":{...}}} or {"data":[{...}]} (spec 8.6)
        JsonNode s = data.has("subscription") ? data.path("subscription") : data.isArray() ? data.path(0) : data;
        return subscription(s);
    }

    public void deleteActivitySubscription(String subscriptionId) {
        call(ACTIVITY_DELETE, 0, () -> activity.delete(subscriptionId));
    }

    /** Deletes every X Activity subscription filtered on the user (a disconnect, a revocation). */
    public void deleteActivitySubscriptionsOf(String userId) {
        for (ActivitySubscription s : activitySubscriptions()) {
            if (userId.equals(s.userId())) {
                deleteActivitySubscription(s.id());
            }
        }
    }

    /** The filtered stream's rules, as X answers them ({@code data}: id, value, tag; {@code meta}). */
    public JsonNode streamRules() {
        return call(STREAM_RULES, 0, stream::rules);
    }

    /**
     * Adds or deletes rules ({@code dryRun}: X only validates them). X's answer as it is: {@code data}, {@code
     * meta.summary} and, for the rules it refused, {@code errors}, which callers must not drop. Never retried: a
     * request that timed out may have added its rules.
     */
    @Retry(maxRetries = 0)
    public JsonNode changeStreamRules(JsonNode change, boolean dryRun) {
        return call(STREAM_RULES_CHANGE, 0, () -> stream.changeRules(dryRun ? Boolean.TRUE : null, change));
    }

    /** The stream's links to webhooks; X lists them under {@code data.links} or as {@code data} itself (spec 9.1). */
    public List<StreamLink> streamLinks() {
        JsonNode data = call(STREAM_LINKS, 0, stream::links).path("data");
        JsonNode links = data.isArray() ? data : data.path("links");
        List<StreamLink> all = new ArrayList<>();
        for (JsonNode l : links) {
            List<String> fields = new ArrayList<>();
            JsonNode f = l.path("fields");
            if (f.isArray()) {
                f.forEach(v -> fields.add(v.asText()));
            } else if (f.isTextual()) {
                fields.add(f.asText());
            }
            all.add(new StreamLink(
                    l.path("webhook_id").asText(null),
                    fields,
                    l.path("instance_id").asText(null),
                    instant(l.path("created_at"))));
        }
        return all;
    }

    /** Links the stream to the webhook with these query parameters ({@link StreamFields#query}). */
    public boolean linkStream(String webhookId, Map<String, String> fields) {
        return call(STREAM_LINK, 0, () -> stream.link(webhookId, fields))
                .path("data")
                .path("provisioned")
                .asBoolean(true);
    }

    public void unlinkStream(String webhookId) {
        call(STREAM_UNLINK, 0, () -> stream.unlink(webhookId));
    }

    /**
     * Reads a window of the filtered stream through its connection API (recovery, last 24 hours), handing the
     * lines to {@code sink} in batches; see {@link StreamConnection}. Never retried (what was read is kept, the
     * caller resumes) and given the time budget instead of the usual 10 s.
     */
    @Retry(maxRetries = 0)
    @Timeout(300_000)
    public StreamConnection.Read readStream(
            Instant from,
            Instant to,
            Map<String, String> fields,
            int maxPosts,
            java.time.Duration budget,
            java.util.function.Consumer<List<byte[]>> sink) {
        if (!configured()) {
            throw new XApiException.Rejected(401, "NotConfigured", "xwr.x.bearer-token is not set");
        }
        limits.admit(STREAM_CONNECT, 0, config.replayBudgetWindow());
        String status = "error";
        try {
            StreamConnection.Read read = connection.read(from, to, fields, maxPosts, budget, sink);
            status = "2xx";
            return read;
        } catch (XApiException.RateLimited limited) {
            status = "429";
            throw new XApiException.RateLimited(STREAM_CONNECT, limits.limited(STREAM_CONNECT, limited.resetAt()));
        } catch (XApiException e) {
            status = Integer.toString(e.status());
            throw e;
        } finally {
            registry.counter("xwr.x.calls", "endpoint", STREAM_CONNECT, "status", status)
                    .increment();
        }
    }

    /** Creates a batch compliance job ({@code tweets} or {@code users}); its upload URL is valid for minutes. */
    public ComplianceJob createComplianceJob(String type, String name) {
        return complianceJob(
                call(COMPLIANCE_CREATE, 0, () -> compliance.create(new XRequests.CreateComplianceJob(type, name)))
                        .path("data"));
    }

    public ComplianceJob complianceJob(String id) {
        return complianceJob(call(COMPLIANCE_GET, 0, () -> compliance.get(id)).path("data"));
    }

    /** Uploads the ids, one per line, to the job's pre-signed URL (another host: no bearer token goes there). */
    public void uploadComplianceIds(ComplianceJob job, List<String> ids) {
        transfers.upload(job.uploadUrl(), String.join("\n", ids));
    }

    /** X's answer: one JSON object per id that needs action (newline-delimited), read from the pre-signed URL. */
    public List<JsonNode> complianceResults(ComplianceJob job) {
        return transfers.downloadLines(job.downloadUrl());
    }

    private JsonNode call(String group, int budget, Supplier<JsonNode> request) {
        if (!configured()) {
            throw new XApiException.Rejected(401, "NotConfigured", "xwr.x.bearer-token is not set");
        }
        limits.admit(group, budget, config.replayBudgetWindow());
        String status = "error";
        try {
            JsonNode answer = request.get();
            status = "2xx";
            return answer;
        } catch (XApiException e) {
            status = Integer.toString(e.status());
            if (e instanceof XApiException.RateLimited limited) {
                throw new XApiException.RateLimited(group, limits.limited(group, limited.resetAt()));
            }
            throw e;
        } finally {
            registry.counter("xwr.x.calls", "endpoint", group, "status", status).increment();
        }
    }

    private static Webhook webhook(JsonNode w) {
        return new Webhook(
                w.path("id").asText(),
                w.path("url").asText(),
                w.path("valid").asBoolean(false),
                instant(w.path("created_at")));
    }

    private static ActivitySubscription subscription(JsonNode s) {
        JsonNode filter = s.path("filter");
        return new ActivitySubscription(
                s.path("subscription_id").asText(null),
                s.path("event_type").asText(null),
                filter.path("user_id").asText(null),
                filter.path("keyword").asText(null),
                filter.path("direction").asText(null),
                s.path("tag").asText(null),
                s.path("webhook_id").asText(null),
                instant(s.path("created_at")));
    }

    private static ComplianceJob complianceJob(JsonNode j) {
        if (!j.hasNonNull("id")) {
            throw new XApiException.Rejected(200, "UnexpectedAnswer", "no job id in X's compliance answer");
        }
        return new ComplianceJob(
                j.path("id").asText(),
                j.path("type").asText(null),
                j.path("status").asText(null),
                j.path("upload_url").asText(null),
                j.path("download_url").asText(null),
                instant(j.path("download_expires_at")));
    }

    private static Instant instant(JsonNode value) {
        try {
            return value.isTextual() ? Instant.parse(value.asText()) : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
