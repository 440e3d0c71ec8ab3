package io.xwr.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * X, as far as this service talks to it (spec sections 4, 5, 6 and 8.6), in the test JVM on a free port: the
 * webhook management API with a real CRC against the registered URL before registration, re-validation and
 * replay; the replay endpoint, which re-delivers the requested window of earlier deliveries as signed POSTs and
 * then sends {@code replay_job_status} (or none, or another state: {@link #replayStatus(String)}); AAA and X Activity subscriptions. Deliveries go out through {@link
 * #deliver(byte[])}, which X would retry; every attempt is logged for replay. Faults are injected per call:
 * {@link #failNext}, {@link #rateLimitNext}.
 */
public final class XSimulator implements AutoCloseable {
    public static final String BEARER = "simulator-bearer-token";
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyyMMddHHmm");
    private static final Pattern WEBHOOK_ID = Pattern.compile("^/2/webhooks/([0-9]{1,19})$");
    private static final Pattern AAA_LIST =
            Pattern.compile("^/2/account_activity/webhooks/([0-9]{1,19})/subscriptions/all/list$");
    private static final Pattern AAA_DELETE =
            Pattern.compile("^/2/account_activity/webhooks/([0-9]{1,19})/subscriptions/([0-9]{1,19})/all$");
    private static final Pattern AAA_REPLAY =
            Pattern.compile("^/2/account_activity/replay/webhooks/([0-9]{1,19})/subscriptions/all$");
    private static final Pattern SUBSCRIPTION_ID = Pattern.compile("^/2/activity/subscriptions/([0-9]{1,19})$");
    private static final Pattern COMPLIANCE_JOB = Pattern.compile("^/2/compliance/jobs/([0-9]{1,19})$");
    private static final Pattern STREAM_LINK = Pattern.compile("^/2/tweets/search/webhooks/([0-9]{1,19})$");
    private static final Pattern STORAGE = Pattern.compile("^/(upload|download)/([0-9]{1,19})$");

    /** A batch compliance job: the ids uploaded to it, and how often its status was asked since. */
    private static final class ComplianceRun {
        final String id;
        final String type;
        volatile List<String> uploaded;
        final AtomicInteger polls = new AtomicInteger();

        ComplianceRun(String id, String type) {
            this.id = id;
            this.type = type;
        }
    }

    /** One delivery X attempted, kept for replay. */
    public record Attempt(String webhookId, Instant at, byte[] body, int status) {}

    /** One API request the simulator received, and when. */
    public record Call(String method, String path, int status, Instant at) {}

    /** A replay job X accepted, with its window as asked (the minute dates, parsed). */
    public record ReplayRequest(String jobId, Instant from, Instant to) {}

    /** An injected answer for the next call, or the next call to {@code method path} when those are set. */
    private record Fault(int status, String body, long resetEpochSeconds, String method, String path) {
        boolean applies(String calledMethod, String calledPath) {
            return path == null || path.equals(calledPath) && method.equals(calledMethod);
        }
    }

    private record Hook(String id, String url, Instant createdAt, boolean valid) {}

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    /** The service's test certificate is self-signed; X would insist on a public CA. */
    private final HttpClient client = ServiceProcess.trustingClient();

    private final AtomicLong ids = new AtomicLong(1_900_000_000_000_000_000L);
    private final Map<String, Hook> webhooks = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> aaaSubscriptions = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> activitySubscriptions = new ConcurrentHashMap<>();
    private final Map<String, String> runningReplay = new ConcurrentHashMap<>();
    private final Map<String, List<ReplayRequest>> acceptedReplays = new ConcurrentHashMap<>();
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private volatile Supplier<Instant> now = Instant::now;
    /** X's {@code job_state} sent when a replay job ends; null: none (X documents none for the current API). */
    private volatile String replayStatus = "Complete";
    /** Jobs X keeps running (answering 409 to the next request) until released. */
    private volatile boolean holdReplays;

    private final Map<String, Runnable> heldReplays = new ConcurrentHashMap<>();
    /** X's window rules (spec 5.6): the start and the end must be this old. */
    private volatile Duration replayStartAge = Duration.ofMinutes(31);

    private volatile Duration replayEndAge = Duration.ofMinutes(10);
    private final ScheduledExecutorService crcSchedule =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
    private volatile ScheduledFuture<?> scheduledCrcs;
    private final AtomicInteger crcsPassed = new AtomicInteger();
    private final AtomicInteger crcsFailed = new AtomicInteger();

    /** The filtered stream's rules, by id: value and tag. */
    private final Map<String, ObjectNode> streamRules = new java.util.concurrent.ConcurrentSkipListMap<>();
    /** Stream links, by webhook id: the fields as X lists them. */
    private final Map<String, List<String>> streamLinks = new ConcurrentHashMap<>();
    /** X documents two shapes for the link listing; the simulator answers either. */
    private volatile boolean linksAsArray;

    private final Map<String, ComplianceRun> complianceRuns = new ConcurrentHashMap<>();
    /** X's answers: type to id to reason ({@code deleted}, {@code suspended}, {@code scrub_geo}...). */
    private final Map<String, Map<String, String>> complianceAnswers = new ConcurrentHashMap<>();

    private volatile boolean failComplianceJobs;
    /** Requests that reached the storage host with an Authorization header: the bearer must never go there. */
    private final AtomicInteger storageAuthorizations = new AtomicInteger();

    private final AtomicInteger storageRequests = new AtomicInteger();
    /** The cloud storage of the pre-signed compliance URLs: another host (and port) than the API. */
    private final HttpServer storage;

    public XSimulator() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
        storage = HttpServer.create(new InetSocketAddress(0), 0); // reached as "localhost", whichever address that is
        storage.setExecutor(workers);
        storage.createContext("/", this::store);
        storage.start();
    }

    /** Whether X's webhook replay re-sends filtered-stream posts (spec 9.3: uncertain); true by default. */
    private volatile boolean replayCoversStream = true;

    /** The filtered stream's posts by time, for its connection API's recovery: each a line as the stream sends it. */
    private final java.util.concurrent.ConcurrentSkipListMap<Instant, List<String>> streamPosts =
            new java.util.concurrent.ConcurrentSkipListMap<>();

    public void replayCoversStream(boolean covers) {
        this.replayCoversStream = covers;
    }

    /** A post the stream matched at {@code at}: what its connection API re-sends for a window holding it. */
    public void streamPost(String line, Instant at) {
        streamPosts.computeIfAbsent(at, t -> new CopyOnWriteArrayList<>()).add(line);
    }

    /**
     * {@code GET /2/tweets/search/stream} with {@code start_time}/{@code end_time}: the window's posts as lines,
     * with a blank keep-alive line between, then the stream ends (X's recovery of a past window).
     */
    private boolean streamRecovery(HttpExchange exchange, String method, String path) throws IOException {
        if (!path.equals("/2/tweets/search/stream") || !method.equals("GET")) {
            return false;
        }
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        int status;
        List<String> lines = new ArrayList<>();
        if (!("Bearer " + BEARER).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            status = 401;
        } else if (!query.containsKey("start_time") || !query.containsKey("end_time")) {
            status = 400;
        } else {
            Instant from = Instant.parse(query.get("start_time"));
            Instant to = Instant.parse(query.get("end_time"));
            if (from.isBefore(now.get().minus(Duration.ofHours(24)))) {
                status = 400; // X: start_time must be within the last 24 hours
            } else {
                status = 200;
                streamPosts.subMap(from, true, to, false).values().forEach(lines::addAll);
            }
        }
        calls.add(new Call(method, path, status, Instant.now()));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, status == 200 ? 0 : -1);
        if (status == 200) {
            try (var out = exchange.getResponseBody()) {
                for (String line : lines) {
                    out.write((line + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        }
        exchange.close();
        return true;
    }

    /** A code X issued at the authorize step: what the token request must match, and when it was issued. */
    private record Code(String user, String challenge, String clientId, String redirectUri, String scope, Instant at) {}

    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final Map<String, String> userTokens = new ConcurrentHashMap<>();
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, String> scopes = new ConcurrentHashMap<>();
    private volatile String authorizingUser = "3000000000000000001";

    /** The secret of the app's confidential OAuth client, as X would know it. */
    public static final String CLIENT_SECRET = "simulator-client-secret";

    private final AtomicInteger confidentialExchanges = new AtomicInteger();

    /** Code exchanges that authenticated with Basic auth (a confidential client). */
    public int confidentialExchanges() {
        return confidentialExchanges.get();
    }

    private volatile String callbackOrigin;

    /** Where the registered {@code https://localhost/...} callback really listens in a test (scheme, host, port). */
    public void callbackOrigin(String origin) {
        this.callbackOrigin = origin;
    }

    /** The user who signs in and consents at X's authorize page next. */
    public void authorizingUser(String userId) {
        this.authorizingUser = userId;
    }

    /** X's authorize page: the user signs in and consents at once; the browser goes back with a code. */
    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> q = query(exchange.getRequestURI().getRawQuery());
        String redirect = q.getOrDefault("redirect_uri", "");
        int status;
        String location = null;
        if (!"code".equals(q.get("response_type"))
                || !"S256".equals(q.get("code_challenge_method"))
                || !q.containsKey("code_challenge")
                || !q.containsKey("state")
                || redirect.isEmpty()) {
            status = 400;
        } else {
            String code = "code-" + ids.incrementAndGet();
            codes.put(
                    code,
                    new Code(
                            authorizingUser,
                            q.get("code_challenge"),
                            q.get("client_id"),
                            redirect,
                            q.getOrDefault("scope", ""),
                            now.get()));
            // the registered callback, on the test's own origin when one is set (its port is chosen at start)
            String back = callbackOrigin != null && redirect.startsWith("https://localhost/")
                    ? callbackOrigin + redirect.substring("https://localhost".length())
                    : redirect;
            location = back + (back.contains("?") ? "&" : "?") + "state="
                    + java.net.URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8) + "&code=" + code;
            status = 302;
        }
        calls.add(new Call("GET", "/i/oauth2/authorize", status, Instant.now()));
        if (location != null) {
            exchange.getResponseHeaders().add("Location", location);
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    /**
     * X's token endpoint: a code is single-use, lives 30 seconds and must come with its PKCE verifier, client and
     * redirect URI; a refresh token is rotated, the old one dies.
     */
    private Answer token(HttpExchange exchange) throws IOException {
        Map<String, String> form = query(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String grant = form.getOrDefault("grant_type", "");
        String user;
        String scope;
        if (grant.equals("authorization_code")) {
            Code code = codes.remove(form.getOrDefault("code", ""));
            if (code == null || code.at().plusSeconds(30).isBefore(now.get())) {
                return oauthError("invalid_request", "Value passed for the authorization code was invalid.");
            }
            String verifier = form.getOrDefault("code_verifier", "");
            String challenge;
            try {
                challenge = java.util.Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            // a public client names itself in the form; a confidential one authenticates with Basic auth
            String client = form.get("client_id");
            String basic = exchange.getRequestHeaders().getFirst("Authorization");
            if (basic != null && basic.startsWith("Basic ")) {
                String[] pair = new String(
                                java.util.Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8)
                        .split(":", 2);
                client = pair.length == 2 && pair[1].equals(CLIENT_SECRET) ? pair[0] : null;
                confidentialExchanges.incrementAndGet();
            }
            if (!challenge.equals(code.challenge())
                    || !code.redirectUri().equals(form.get("redirect_uri"))
                    || !code.clientId().equals(client)) {
                return oauthError("invalid_request", "The code verifier, client or redirect URI does not match.");
            }
            user = code.user();
            scope = code.scope();
        } else if (grant.equals("refresh_token")) {
            String old = form.getOrDefault("refresh_token", "");
            user = refreshTokens.remove(old);
            if (user == null) {
                return oauthError("invalid_request", "Value passed for the token was invalid.");
            }
            refreshes.merge(user, 1, Integer::sum);
            scope = scopes.getOrDefault(old, "");
        } else {
            return oauthError("unsupported_grant_type", "grant_type");
        }
        String access = "at-" + java.util.UUID.randomUUID();
        String refresh = "rt-" + java.util.UUID.randomUUID();
        userTokens.put(access, user);
        if (scope.contains("offline.access")) {
            refreshTokens.put(refresh, user);
            scopes.put(refresh, scope);
        }
        ObjectNode answer = json.createObjectNode()
                .put("token_type", "bearer")
                .put("expires_in", 7200)
                .put("access_token", access)
                .put("scope", scope);
        if (scope.contains("offline.access")) {
            answer.put("refresh_token", refresh);
        }
        return Answer.ok(answer.toString());
    }

    private Answer oauthError(String error, String description) {
        return new Answer(
                400,
                json.createObjectNode()
                        .put("error", error)
                        .put("error_description", description)
                        .toString(),
                0);
    }

    /** Every access and refresh token X issued for the user (to prove none is stored or shown in clear). */
    public List<String> issuedTokens(String user) {
        List<String> tokens = new ArrayList<>();
        userTokens.forEach((token, owner) -> {
            if (owner.equals(user)) {
                tokens.add(token);
            }
        });
        refreshTokens.forEach((token, owner) -> {
            if (owner.equals(user)) {
                tokens.add(token);
            }
        });
        return tokens;
    }

    private final Map<String, Integer> refreshes = new ConcurrentHashMap<>();

    /** How often X granted a refresh for the user. */
    public int refreshesOf(String user) {
        return refreshes.getOrDefault(user, 0);
    }

    /** X forgets the user's refresh tokens (the user revoked the app at X, or they expired). */
    public void revokeRefreshTokens(String user) {
        refreshTokens.values().removeIf(user::equals);
    }

    /** The event types X Activity subscriptions exist for, for the user. */
    public List<String> activitySubscriptionsOf(String user) {
        return activitySubscriptions.values().stream()
                .filter(s -> user.equals(s.path("filter").path("user_id").asText()))
                .map(s -> s.path("event_type").asText())
                .sorted()
                .toList();
    }

    /** The user a refresh token belongs to, while it is alive. */
    public boolean refreshTokenAlive(String token) {
        return refreshTokens.containsKey(token);
    }

    /** X lists links as {@code data} itself ({@code true}) or under {@code data.links} (the docs). */
    public void answerLinksAsArray(boolean asArray) {
        this.linksAsArray = asArray;
    }

    /** The stream's links as X keeps them: webhook id to the fields as X lists them. */
    public Map<String, List<String>> streamLinks() {
        return Map.copyOf(streamLinks);
    }

    /** The stream's rules: id to value. */
    public Map<String, String> streamRules() {
        Map<String, String> rules = new java.util.TreeMap<>();
        streamRules.forEach((id, rule) -> rules.put(id, rule.path("value").asText()));
        return rules;
    }

    /**
     * X's rule validation, roughly: an empty value, unbalanced parentheses or quotes, or an operator X does not know
     * ({@code nosuch:}) is invalid; the same value twice is a duplicate. Each refused rule is an error; the others
     * are created unless it is a dry run.
     */
    private Answer changeRules(JsonNode body, boolean dryRun) {
        ObjectNode answer = json.createObjectNode();
        ArrayNode data = json.createArrayNode();
        ArrayNode errors = json.createArrayNode();
        ObjectNode summary = json.createObjectNode();
        if (body.has("add")) {
            int created = 0;
            for (JsonNode rule : body.path("add")) {
                String value = rule.path("value").asText("");
                String problem = ruleProblem(value);
                boolean duplicate = streamRules.values().stream()
                        .anyMatch(r -> r.path("value").asText().equals(value));
                if (problem != null || duplicate) {
                    ObjectNode error = errors.addObject().put("value", value);
                    if (duplicate) {
                        error.put("title", "DuplicateRule")
                                .put("type", "https://api.twitter.com/2/problems/duplicate-rules");
                    } else {
                        error.put("title", "UnprocessableEntity")
                                .put("detail", problem)
                                .put("type", "https://api.twitter.com/2/problems/invalid-rules");
                    }
                    continue;
                }
                ObjectNode stored = json.createObjectNode()
                        .put("id", Long.toString(ids.incrementAndGet()))
                        .put("value", value);
                if (rule.hasNonNull("tag")) {
                    stored.put("tag", rule.path("tag").asText());
                }
                data.add(stored);
                if (!dryRun) {
                    streamRules.put(stored.path("id").asText(), stored);
                }
                created++;
            }
            summary.put(dryRun ? "valid" : "created", created).put(dryRun ? "invalid" : "not_created", errors.size());
        } else {
            int deleted = 0;
            for (JsonNode id : body.path("delete").path("ids")) {
                if (streamRules.containsKey(id.asText()) && (dryRun || streamRules.remove(id.asText()) != null)) {
                    deleted++;
                } else {
                    errors.addObject()
                            .put("id", id.asText())
                            .put("title", "RuleNotFound")
                            .put("detail", "no rule " + id.asText());
                }
            }
            summary.put("deleted", deleted).put("not_deleted", errors.size());
        }
        if (!data.isEmpty()) {
            answer.set("data", data);
        }
        answer.putObject("meta").put("sent", now.get().toString()).set("summary", summary);
        if (!errors.isEmpty()) {
            answer.set("errors", errors);
        }
        return Answer.ok(answer.toString());
    }

    private static String ruleProblem(String value) {
        if (value.isBlank()) {
            return "a rule needs a value";
        }
        int depth = 0;
        for (char c : value.toCharArray()) {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth < 0) {
                return "unbalanced parentheses";
            }
        }
        if (depth != 0) {
            return "unbalanced parentheses";
        }
        if (value.chars().filter(c -> c == '"').count() % 2 != 0) {
            return "unbalanced quotes";
        }
        if (value.contains("nosuch:")) {
            return "Reference to invalid operator 'nosuch'";
        }
        return null;
    }

    /** X's answer for an id the next compliance job of that type asks about. */
    public void complianceAnswer(String type, String id, String reason) {
        complianceAnswers.computeIfAbsent(type, t -> new ConcurrentHashMap<>()).put(id, reason);
    }

    /** X fails every compliance job (status {@code failed}) while set. */
    public void failComplianceJobs(boolean fail) {
        this.failComplianceJobs = fail;
    }

    /** Ids uploaded to each compliance job of the type, in the order the jobs were created. */
    public List<List<String>> complianceUploads(String type) {
        return complianceRuns.values().stream()
                .filter(r -> r.type.equals(type) && r.uploaded != null)
                .sorted(java.util.Comparator.comparing((ComplianceRun r) -> Long.parseLong(r.id)))
                .map(r -> r.uploaded)
                .toList();
    }

    public int storageRequests() {
        return storageRequests.get();
    }

    public int storageRequestsWithAuthorization() {
        return storageAuthorizations.get();
    }

    /** The pre-signed side: the URL is the credential (a signature in the query), never a bearer token. */
    private void store(HttpExchange exchange) throws IOException {
        storageRequests.incrementAndGet();
        if (exchange.getRequestHeaders().containsKey("Authorization")) {
            storageAuthorizations.incrementAndGet();
        }
        Matcher m = STORAGE.matcher(exchange.getRequestURI().getPath());
        String query = exchange.getRequestURI().getRawQuery();
        ComplianceRun run = m.matches() ? complianceRuns.get(m.group(2)) : null;
        int status;
        String body = "";
        if (run == null || query == null || !query.equals("X-Goog-Signature=sig" + run.id)) {
            status = 403;
        } else if (m.group(1).equals("upload") && exchange.getRequestMethod().equals("PUT")) {
            String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            run.uploaded = text.isBlank() ? List.of() : List.of(text.split("\n"));
            status = 200;
        } else if (m.group(1).equals("download") && exchange.getRequestMethod().equals("GET")) {
            StringBuilder lines = new StringBuilder();
            Map<String, String> answers = complianceAnswers.getOrDefault(run.type, Map.of());
            for (String id : run.uploaded == null ? List.<String>of() : run.uploaded) {
                String reason = answers.get(id);
                if (reason != null) {
                    lines.append(json.createObjectNode()
                                    .put("id", id)
                                    .put("action", "delete")
                                    .put("created_at", "2026-01-01T00:00:00.000Z")
                                    .put("redacted_at", now.get().toString())
                                    .put("reason", reason))
                            .append('\n');
                }
            }
            body = lines.toString();
            status = 200;
        } else {
            status = 405;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private Answer createComplianceJob(JsonNode body) {
        String type = body.path("type").asText("");
        if (!type.equals("tweets") && !type.equals("users")) {
            return error(400, "InvalidRequest", "type must be tweets or users");
        }
        String id = Long.toString(ids.incrementAndGet());
        complianceRuns.put(id, new ComplianceRun(id, type));
        return Answer.ok(json.createObjectNode()
                .set("data", complianceJob(complianceRuns.get(id), "created"))
                .toString());
    }

    /** created until the ids are uploaded; then in_progress once, then complete (or failed). */
    private Answer complianceJobStatus(String id) {
        ComplianceRun run = complianceRuns.get(id);
        if (run == null) {
            return error(404, "NotFound", "no compliance job " + id);
        }
        String status = run.uploaded == null
                ? "created"
                : failComplianceJobs ? "failed" : run.polls.getAndIncrement() == 0 ? "in_progress" : "complete";
        return Answer.ok(
                json.createObjectNode().set("data", complianceJob(run, status)).toString());
    }

    private ObjectNode complianceJob(ComplianceRun run, String status) {
        String host = "http://localhost:" + storage.getAddress().getPort();
        Instant at = now.get();
        return json.createObjectNode()
                .put("id", run.id)
                .put("type", run.type)
                .put("name", "job " + run.id)
                .put("status", status)
                .put("upload_url", host + "/upload/" + run.id + "?X-Goog-Signature=sig" + run.id)
                .put("upload_expires_at", at.plus(Duration.ofMinutes(15)).toString())
                .put("download_url", host + "/download/" + run.id + "?X-Goog-Signature=sig" + run.id)
                .put("download_expires_at", at.plus(Duration.ofDays(7)).toString())
                .put("created_at", at.toString())
                .put("resumable", false);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** X's notion of now (replay windows are judged against it); tests pass their injected clock. */
    public void useClock(Clock clock) {
        this.now = clock::instant;
    }

    /** The next {@code times} API calls answer {@code status} with X's error body. */
    public synchronized void failNext(int status, int times) {
        for (int i = 0; i < times; i++) {
            faults.add(new Fault(status, problem("ServiceUnavailable", "Service Unavailable"), 0, null, null));
        }
    }

    /** The next call of {@code method} to {@code path} gets this answer (a legacy v1.1 error body, say). */
    public synchronized void answerNext(String method, String path, int status, String body) {
        faults.add(new Fault(status, body, 0, method, path));
    }

    /** Drops injected faults not used yet. */
    public synchronized void clearFaults() {
        faults.clear();
    }

    /** The next API call answers 429 with {@code x-rate-limit-reset} = {@code resetAt}. */
    public synchronized void rateLimitNext(Instant resetAt) {
        rateLimitNext(null, null, resetAt);
    }

    /** The next call to {@code method path} answers 429 with {@code x-rate-limit-reset} = {@code resetAt}. */
    public synchronized void rateLimitNext(String method, String path, Instant resetAt) {
        faults.add(new Fault(
                429,
                "{\"errors\":[{\"code\":88,\"message\":\"Rate limit exceeded\"}]}",
                resetAt.getEpochSecond(),
                method,
                path));
    }

    /** The ages X demands of a replay window's start and end (31 and 10 minutes as documented). */
    public void replayWindowAges(Duration startAge, Duration endAge) {
        this.replayStartAge = startAge;
        this.replayEndAge = endAge;
    }

    /**
     * X re-checks a registered webhook with a CRC from time to time (spec 1.6, about daily): every {@code every}
     * here. A failed check marks the webhook invalid, and X stops delivering to it.
     */
    public void scheduleCrcs(String webhookId, Duration every) {
        stopScheduledCrcs();
        scheduledCrcs = crcSchedule.scheduleWithFixedDelay(
                () -> {
                    Hook hook = webhooks.get(webhookId);
                    if (hook == null) {
                        return;
                    }
                    if (crc(hook.url())) {
                        crcsPassed.incrementAndGet();
                    } else {
                        crcsFailed.incrementAndGet();
                        invalidate(webhookId);
                    }
                },
                every.toMillis(),
                every.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    public void stopScheduledCrcs() {
        ScheduledFuture<?> running = scheduledCrcs;
        if (running != null) {
            running.cancel(false);
        }
    }

    public int scheduledCrcsPassed() {
        return crcsPassed.get();
    }

    public int scheduledCrcsFailed() {
        return crcsFailed.get();
    }

    /**
     * The {@code job_state} X sends in {@code replay_job_status} when a job ends ({@code Complete}, {@code
     * Incomplete}, any spelling), or null for none: X documents a status for the AAA replay, none for {@code POST
     * /2/webhooks/replay}, so the suite plays both.
     */
    public void replayStatus(String jobState) {
        this.replayStatus = jobState;
    }

    /** X keeps accepted jobs running (and answers 409 to the next request) until {@link #releaseReplays()}. */
    public void holdReplays(boolean hold) {
        this.holdReplays = hold;
    }

    /** Lets held jobs re-deliver their windows and end, before this returns. */
    public void releaseReplays() {
        holdReplays = false;
        List<String> held = List.copyOf(heldReplays.keySet());
        held.forEach(id -> heldReplays.remove(id).run());
    }

    /** Sends a {@code replay_job_status} now, as X would for a job it finished (late, or with another state). */
    public int sendReplayStatus(String webhookId, String jobId, String jobState) {
        Hook hook = webhooks.get(webhookId);
        return post(hook.url(), replayStatusBody(webhookId, jobId, jobState));
    }

    private static byte[] replayStatusBody(String webhookId, String jobId, String jobState) {
        return ("{\"replay_job_status\":{\"webhook_id\":\"" + webhookId + "\",\"job_state\":\"" + jobState
                        + "\",\"job_state_description\":\"Job finished\",\"job_id\":\"" + jobId + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public long calls(String method, String path) {
        return calls.stream()
                .filter(c -> c.method().equals(method) && c.path().equals(path))
                .count();
    }

    public List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** Registers a webhook directly, as if done earlier in X's console (no CRC). */
    public String existingWebhook(String url, boolean valid) {
        String id = Long.toString(ids.incrementAndGet());
        webhooks.put(id, new Hook(id, url, now.get(), valid));
        return id;
    }

    /** X marks the webhook invalid, as after a failed CRC: deliveries stop until it validates again. */
    public void invalidate(String webhookId) {
        webhooks.computeIfPresent(webhookId, (k, h) -> new Hook(h.id(), h.url(), h.createdAt(), false));
    }

    public boolean valid(String webhookId) {
        Hook hook = webhooks.get(webhookId);
        return hook != null && hook.valid();
    }

    /**
     * X delivers one body to the webhook, signed with the app's consumer secret; the attempt is logged at X's
     * now whatever the answer, as X logs what it tried to deliver. An invalid webhook gets nothing (status 0).
     */
    public int deliver(String webhookId, byte[] body) {
        Hook hook = webhooks.get(webhookId);
        int status = hook == null || !hook.valid() ? 0 : post(hook.url(), body);
        attempts.add(new Attempt(webhookId, now.get(), body, status));
        return status;
    }

    /**
     * X's retry schedule (legacy AAA, spec 3.4): the first try, then 3, 27 and 242 s after the one before, each
     * scaled by {@code timeScale} (0.1 plays five minutes in 27 s). Returns the last answer; not 200 means X gave
     * up and only a replay can bring the delivery back.
     */
    public int deliverWithRetries(String webhookId, byte[] body, double timeScale) throws InterruptedException {
        int status = deliver(webhookId, body);
        for (long wait : new long[] {3_000, 27_000, 242_000}) {
            if (status == 200) {
                break;
            }
            Thread.sleep((long) (wait * timeScale));
            status = deliver(webhookId, body);
        }
        return status;
    }

    /** X tried to deliver while the receiver was down: logged for replay, nothing reaches the service. */
    public void deliveryFailed(String webhookId, byte[] body) {
        attempts.add(new Attempt(webhookId, now.get(), body, 503));
    }

    /** Replay jobs X accepted for the webhook. */
    public List<String> replayJobs(String webhookId) {
        return replayRequests(webhookId).stream().map(ReplayRequest::jobId).toList();
    }

    /** Replay jobs X accepted for the webhook, with their windows, in the order accepted. */
    public List<ReplayRequest> replayRequests(String webhookId) {
        return List.copyOf(acceptedReplays.getOrDefault(webhookId, List.of()));
    }

    private int post(String url, byte[] body) {
        try {
            return client.send(Deliveries.signedRequest(URI.create(url), body), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return 0; // connection refused or reset: X counts it as failed and would retry
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** X's CRC: a random token, the answer must be the HMAC of it with the consumer secret, within 3 s. */
    boolean crc(String url) {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String token = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
            HttpResponse<String> answer = client.send(
                    HttpRequest.newBuilder(URI.create(url + (url.contains("?") ? "&" : "?") + "crc_token="
                                    + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                            .timeout(Duration.ofSeconds(3))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                return false;
            }
            String expected = XSigner.sign(XSigner.SECRET, token);
            return expected.equals(
                    json.readTree(answer.body()).path("response_token").asText());
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if (streamRecovery(exchange, method, path)) {
            return;
        }
        if (path.equals("/i/oauth2/authorize") && method.equals("GET")) {
            authorize(exchange);
            return;
        }
        Answer answer;
        try {
            answer = answer(exchange, method, path);
        } catch (RuntimeException e) {
            answer = new Answer(500, problem("InternalError", e.toString()), 0);
        }
        calls.add(new Call(method, path, answer.status(), Instant.now()));
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("x-rate-limit-limit", "450");
        if (answer.reset() > 0) {
            exchange.getResponseHeaders().add("x-rate-limit-remaining", "0");
            exchange.getResponseHeaders().add("x-rate-limit-reset", Long.toString(answer.reset()));
        }
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private record Answer(int status, String body, long reset) {
        static Answer ok(String body) {
            return new Answer(200, body, 0);
        }
    }

    private Answer answer(HttpExchange exchange, String method, String path) throws IOException {
        if (path.equals("/2/oauth2/token") && method.equals("POST")) {
            return token(exchange);
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String user = authorization != null && authorization.startsWith("Bearer ")
                ? userTokens.get(authorization.substring(7))
                : null;
        if (user != null) {
            // a user's access token: who the user is, and subscriptions to the user's own activity
            if (path.equals("/2/users/me") && method.equals("GET")) {
                return Answer.ok(
                        "{\"data\":{\"id\":\"" + user + "\",\"username\":\"user" + user + "\",\"name\":\"U\"}}");
            }
            if (path.equals("/2/activity/subscriptions") && method.equals("POST")) {
                JsonNode body = readBody(exchange);
                if (!user.equals(body.path("filter").path("user_id").asText())) {
                    return error(403, "Forbidden", "a user's token subscribes to that user's activity only");
                }
                return createSubscription(body);
            }
            return error(403, "Forbidden", "not with a user's token here");
        }
        if (!("Bearer " + BEARER).equals(authorization)) {
            return new Answer(
                    401,
                    "{\"title\":\"Unauthorized\",\"type\":\"about:blank\",\"status\":401,\"detail\":\"Unauthorized\"}",
                    0);
        }
        synchronized (this) {
            Fault fault = faults.stream()
                    .filter(f -> f.applies(method, path))
                    .findFirst()
                    .orElse(null);
            if (fault != null) {
                faults.remove(fault);
                return new Answer(fault.status(), fault.body(), fault.resetEpochSeconds());
            }
        }
        JsonNode body = readBody(exchange);
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        Matcher m;
        if (path.equals("/2/webhooks") && method.equals("GET")) {
            return listWebhooks();
        }
        if (path.equals("/2/webhooks") && method.equals("POST")) {
            return createWebhook(body);
        }
        if (path.equals("/2/webhooks/replay") && method.equals("POST")) {
            return replay(
                    body.path("webhook_id").asText(""),
                    body.path("from_date").asText(""),
                    body.path("to_date").asText(""),
                    true);
        }
        if ((m = WEBHOOK_ID.matcher(path)).matches()) {
            Hook hook = webhooks.get(m.group(1));
            if (hook == null) {
                return error(400, "WebhookIdInvalid", "webhook " + m.group(1) + " not found");
            }
            if (method.equals("PUT")) {
                boolean valid = crc(hook.url());
                webhooks.put(hook.id(), new Hook(hook.id(), hook.url(), hook.createdAt(), valid));
                return Answer.ok("{\"data\":{\"valid\":" + valid + "}}");
            }
            if (method.equals("DELETE")) {
                webhooks.remove(hook.id());
                aaaSubscriptions.remove(hook.id());
                return Answer.ok("{\"data\":{\"deleted\":true}}");
            }
        }
        if ((m = AAA_LIST.matcher(path)).matches() && method.equals("GET")) {
            return aaaList(m.group(1));
        }
        if ((m = AAA_DELETE.matcher(path)).matches() && method.equals("DELETE")) {
            Set<String> users = aaaSubscriptions.getOrDefault(m.group(1), Set.of());
            if (!users.remove(m.group(2))) {
                return error(404, "SubscriptionNotFound", "no subscription for " + m.group(2));
            }
            return Answer.ok("{\"data\":{\"subscribed\":false}}");
        }
        if ((m = AAA_REPLAY.matcher(path)).matches() && method.equals("POST")) {
            return replay(m.group(1), query.getOrDefault("from_date", ""), query.getOrDefault("to_date", ""), false);
        }
        if (path.equals("/2/activity/subscriptions")) {
            if (method.equals("GET")) {
                ArrayNode data = json.createArrayNode();
                activitySubscriptions.values().forEach(data::add);
                return Answer.ok(json.createObjectNode()
                        .<ObjectNode>set("data", data)
                        .set("meta", json.createObjectNode().put("total_subscriptions", data.size()))
                        .toString());
            }
            if (method.equals("POST")) {
                if (!body.path("event_type").asText("").startsWith("profile.update.")) {
                    // private activity needs the user's consent: the app's token is refused (spec: accounts, 1)
                    return error(403, "Forbidden", "subscriptions to private events need the user's token");
                }
                return createSubscription(body);
            }
        }
        if ((m = SUBSCRIPTION_ID.matcher(path)).matches() && method.equals("DELETE")) {
            if (activitySubscriptions.remove(m.group(1)) == null) {
                return error(404, "SubscriptionNotFound", "no subscription " + m.group(1));
            }
            return Answer.ok("{\"data\":{\"deleted\":true},\"meta\":{\"total_subscriptions\":"
                    + activitySubscriptions.size() + "}}");
        }
        if (path.equals("/2/tweets/search/stream/rules")) {
            if (method.equals("GET")) {
                ArrayNode data = json.createArrayNode();
                streamRules.values().forEach(data::add);
                ObjectNode answer = json.createObjectNode();
                if (!data.isEmpty()) {
                    answer.set("data", data);
                }
                answer.putObject("meta").put("sent", now.get().toString()).put("result_count", data.size());
                return Answer.ok(answer.toString());
            }
            if (method.equals("POST")) {
                return changeRules(body, "true".equals(query.get("dry_run")));
            }
        }
        if (path.equals("/2/tweets/search/webhooks") && method.equals("GET")) {
            ArrayNode links = json.createArrayNode();
            streamLinks.forEach((hook, fields) -> {
                ObjectNode link = links.addObject()
                        .put("application_id", "29893711")
                        .put("instance_id", "1877375130462289920")
                        .put("webhook_id", hook)
                        .put("created_at", now.get().toString());
                fields.forEach(link.putArray("fields")::add);
            });
            ObjectNode answer = json.createObjectNode();
            if (linksAsArray) {
                answer.set("data", links);
            } else {
                answer.putObject("data").set("links", links);
            }
            return Answer.ok(answer.toString());
        }
        if ((m = STREAM_LINK.matcher(path)).matches()) {
            if (!webhooks.containsKey(m.group(1))) {
                return error(400, "WebhookIdInvalid", "webhook " + m.group(1) + " not found");
            }
            if (method.equals("POST")) {
                // X's listing splits each "param=a,b" at its commas: "param=a", "b"
                List<String> fields = new ArrayList<>();
                new java.util.TreeMap<>(query).forEach((name, value) -> {
                    String[] values = value.split(",");
                    fields.add(name + "=" + values[0]);
                    fields.addAll(List.of(values).subList(1, values.length));
                });
                streamLinks.put(m.group(1), fields);
                return Answer.ok("{\"data\":{\"provisioned\":true}}");
            }
            if (method.equals("DELETE")) {
                if (streamLinks.remove(m.group(1)) == null) {
                    return error(404, "NotFound", "no link to webhook " + m.group(1));
                }
                return Answer.ok("{\"data\":{\"deleted\":true}}");
            }
        }
        if (path.equals("/2/compliance/jobs") && method.equals("POST")) {
            return createComplianceJob(body);
        }
        if ((m = COMPLIANCE_JOB.matcher(path)).matches() && method.equals("GET")) {
            return complianceJobStatus(m.group(1));
        }
        return new Answer(404, problem("NotFound", method + " " + path), 0);
    }

    /** Subscribes a user through AAA (needs the user's own token at X; the simulator just records it). */
    public void subscribeUser(String webhookId, String userId) {
        aaaSubscriptions
                .computeIfAbsent(webhookId, k -> ConcurrentHashMap.newKeySet())
                .add(userId);
    }

    private Answer listWebhooks() {
        ArrayNode data = json.createArrayNode();
        webhooks.values().stream().sorted((a, b) -> a.id().compareTo(b.id())).forEach(h -> data.add(webhookJson(h)));
        return Answer.ok(json.createObjectNode()
                .<ObjectNode>set("data", data)
                .set("meta", json.createObjectNode().put("result_count", data.size()))
                .toString());
    }

    private Answer createWebhook(JsonNode body) {
        String url = body.path("url").asText("");
        if (!url.startsWith("https://") || url.length() > 200) {
            return error(400, "UrlValidationFailed", "url must be https and at most 200 characters");
        }
        if (webhooks.values().stream().anyMatch(h -> h.url().equals(url))) {
            return error(400, "DuplicateUrlFailed", "this app already registered " + url);
        }
        if (!crc(url)) {
            return error(400, "CrcValidationFailed", "the CRC response was invalid");
        }
        String id = Long.toString(ids.incrementAndGet());
        Hook hook = new Hook(id, url, now.get(), true);
        webhooks.put(id, hook);
        return Answer.ok(json.createObjectNode().set("data", webhookJson(hook)).toString());
    }

    private ObjectNode webhookJson(Hook h) {
        return json.createObjectNode()
                .put("created_at", h.createdAt().truncatedTo(ChronoUnit.MILLIS).toString())
                .put("id", h.id())
                .put("url", h.url())
                .put("valid", h.valid());
    }

    /**
     * Spec 5.6 and 6: minute dates, from ≤ 24 h old, from ≥ 31 min and to ≥ 10 min in the past, one job per
     * webhook, a CRC first. The current API reads {@code to_date} as inclusive, the AAA one as exclusive.
     */
    private Answer replay(String webhookId, String fromDate, String toDate, boolean toInclusive) {
        if (!webhookId.matches("[0-9]{1,19}") || !fromDate.matches("[0-9]{12}") || !toDate.matches("[0-9]{12}")) {
            return error(400, "QueryParamInvalid", "webhook_id, from_date and to_date are required");
        }
        Instant from = LocalDateTime.parse(fromDate, MINUTE).toInstant(ZoneOffset.UTC);
        Instant to = LocalDateTime.parse(toDate, MINUTE).toInstant(ZoneOffset.UTC);
        Instant at = now.get();
        if (from.isBefore(at.minus(Duration.ofHours(24)))) {
            return error(400, "QueryParamInvalid", "from_date is older than 24 hours");
        }
        if (!from.isBefore(to)) {
            return error(400, "QueryParamInvalid", "from_date must be before to_date");
        }
        if (from.isAfter(at.minus(replayStartAge)) || to.isAfter(at.minus(replayEndAge))) {
            return error(400, "QueryParamInvalid", "the window must start 31 and end 10 minutes ago or earlier");
        }
        Hook hook = webhooks.get(webhookId);
        if (hook == null) {
            return error(400, "WebhookIdInvalid", "webhook " + webhookId + " not found");
        }
        if (!hook.valid()) {
            return error(400, "CrcValidationFailed", "Webhook is marked invalid and requires a CRC check.");
        }
        String job = Long.toString(ids.incrementAndGet());
        if (runningReplay.putIfAbsent(webhookId, job) != null) {
            return error(409, "ReplayConflictError", "A replay job is already in progress for this webhook.");
        }
        if (!crc(hook.url())) {
            runningReplay.remove(webhookId);
            return error(400, "CrcValidationFailed", "the CRC response was invalid");
        }
        acceptedReplays
                .computeIfAbsent(webhookId, k -> new CopyOnWriteArrayList<>())
                .add(new ReplayRequest(job, from, to));
        Instant end = toInclusive ? to.plus(Duration.ofMinutes(1)) : to;
        List<Attempt> window = attempts.stream()
                .filter(a -> a.webhookId().equals(webhookId))
                .filter(a -> !a.at().isBefore(from) && a.at().isBefore(end))
                .filter(a -> replayCoversStream
                        || !new String(a.body(), StandardCharsets.UTF_8).contains("\"matching_rules\""))
                .toList();
        String status = replayStatus;
        Runnable run = () -> {
            window.forEach(a -> post(hook.url(), a.body()));
            runningReplay.remove(webhookId);
            if (status != null) {
                post(hook.url(), replayStatusBody(webhookId, job, status));
            }
        };
        if (holdReplays) {
            heldReplays.put(job, run);
        } else {
            workers.submit(run);
        }
        return Answer.ok(
                "{\"data\":{\"job_id\":\"" + job + "\",\"created_at\":\"" + at.truncatedTo(ChronoUnit.MILLIS) + "\"}}");
    }

    private Answer aaaList(String webhookId) {
        Hook hook = webhooks.get(webhookId);
        if (hook == null) {
            return error(400, "WebhookIdInvalid", "webhook " + webhookId + " not found");
        }
        ArrayNode subs = json.createArrayNode();
        new LinkedHashSet<>(aaaSubscriptions.getOrDefault(webhookId, Set.of()))
                .forEach(u -> subs.add(json.createObjectNode().put("user_id", u)));
        ObjectNode data = json.createObjectNode()
                .put("application_id", "29893711")
                .put("webhook_id", webhookId)
                .put("webhook_url", hook.url());
        data.set("subscriptions", subs);
        return Answer.ok(json.createObjectNode().set("data", data).toString());
    }

    private Answer createSubscription(JsonNode body) {
        String type = body.path("event_type").asText("");
        if (type.isEmpty() || !body.path("filter").isObject()) {
            return error(400, "InvalidRequest", "event_type and filter are required");
        }
        ObjectNode sub = json.createObjectNode()
                .put("subscription_id", Long.toString(ids.incrementAndGet()))
                .put("event_type", type);
        sub.set("filter", body.path("filter"));
        if (body.hasNonNull("tag")) {
            sub.put("tag", body.path("tag").asText());
        }
        if (body.hasNonNull("webhook_id")) {
            sub.put("webhook_id", body.path("webhook_id").asText());
        }
        String created = now.get().truncatedTo(ChronoUnit.MILLIS).toString();
        sub.put("created_at", created).put("updated_at", created);
        activitySubscriptions.put(sub.path("subscription_id").asText(), sub);
        // the current OpenAPI shape: {"data":{"subscription":{...}}}
        return Answer.ok(json.createObjectNode()
                .set("data", json.createObjectNode().set("subscription", sub))
                .toString());
    }

    private Answer error(int status, String reason, String details) {
        return new Answer(status, problem(reason, details), 0);
    }

    private String problem(String reason, String details) {
        ObjectNode root = json.createObjectNode();
        root.putArray("errors").addObject().put("message", reason + ": " + details);
        root.put("title", "Invalid Request")
                .put("detail", "One or more parameters to your request was invalid.")
                .put("type", "https://api.x.com/2/problems/invalid-request");
        return root.toString();
    }

    private JsonNode readBody(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        return bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    values.put(
                            java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    @Override
    public void close() {
        crcSchedule.shutdownNow();
        server.stop(0);
        storage.stop(0);
        workers.shutdownNow();
    }

    /** All webhooks the simulator knows, for assertions. */
    public List<String> webhookIds() {
        return new ArrayList<>(webhooks.keySet());
    }
}
