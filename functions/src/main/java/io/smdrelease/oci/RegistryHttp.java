package io.smdrelease.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.registry.ImageRepository;
import io.smdrelease.registry.RegistryRejectedException;
import io.smdrelease.registry.RegistryUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The HTTP side of the registry client: authentication (anonymous, Basic, Bearer-token challenges), the bounded retry
 * of 429, 5xx and I/O errors honouring {@code Retry-After}, and the mapping of answers to
 * {@link io.smdrelease.registry.RegistryException}s that name the repository, the reference and the answer.
 */
final class RegistryHttp {
    private static final System.Logger LOG = System.getLogger(RegistryHttp.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ERROR_BODY_LIMIT = 4096;

    /**
     * What a call is for: the repository and reference named in errors, the action ("read the manifest of"), and the
     * token scopes it needs ({@code repository:<path>:pull[,push]}).
     */
    record Call(ImageRepository repository, String reference, String action, List<String> scopes) {
        String target() {
            return repository + (reference.startsWith("sha256:") ? "@" : ":") + reference;
        }
    }

    /** An attempt that may fail in a way worth retrying. */
    @FunctionalInterface
    interface Attempt<T> {
        T run() throws RetryableFailure;
    }

    /** A 429, a 5xx or an I/O error of one attempt. */
    static final class RetryableFailure extends Exception {
        final int status;
        final String answer;
        final Optional<Duration> retryAfter;

        RetryableFailure(int status, String answer, Optional<Duration> retryAfter, Throwable cause) {
            super(answer, cause);
            this.status = status;
            this.answer = answer;
            this.retryAfter = retryAfter;
        }
    }

    private final HttpClient http;
    private final RegistryCredentials credentials;
    private final RetryPolicy retry;
    private final Duration requestTimeout;
    private final Clock clock;
    /** Bearer tokens by host and scopes. */
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    /** Hosts that asked for Basic auth. */
    private final Set<String> basicHosts = ConcurrentHashMap.newKeySet();

    RegistryHttp(
            HttpClient http, RegistryCredentials credentials, RetryPolicy retry, Duration requestTimeout, Clock clock) {
        this.http = http;
        this.credentials = credentials;
        this.retry = retry;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
    }

    /** {@code http[s]://host/v2/<path>/} + {@code suffix}: plain http for registries on the loopback interface. */
    static URI uri(ImageRepository repository, String suffix) {
        String scheme = repository.isLocal() ? "http" : "https";
        return URI.create(scheme + "://" + repository.host() + "/v2/" + repository.path() + "/" + suffix);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    /** Runs {@code attempt} until it succeeds, retrying retryable failures within the {@link RetryPolicy}. */
    <T> T retrying(Call call, Attempt<T> attempt) {
        Instant start = clock.instant();
        for (int n = 1; ; n++) {
            RetryableFailure failure;
            try {
                return attempt.run();
            } catch (RetryableFailure f) {
                failure = f;
            }
            Duration wait = retry.waitAfter(n, failure.retryAfter);
            Duration elapsed = Duration.between(start, clock.instant());
            if (n >= retry.maxAttempts() || elapsed.plus(wait).compareTo(retry.budget()) > 0) {
                throw unavailable(call, failure, n, elapsed);
            }
            logRetry(call, describe(failure), n + 1, retry.maxAttempts(), wait);
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unavailable(call, failure, n, elapsed);
            }
        }
    }

    /** A body read whole, with the headers it came with. */
    record Fetched(byte[] body, java.net.http.HttpHeaders headers) {}

    /** A GET with retries whose answer must be 200; its body read whole (a broken read is retried too). */
    Fetched fetch(Call call, HttpRequest.Builder request) {
        return retrying(call, () -> {
            HttpResponse<InputStream> response = sendOnce(call, request);
            if (response.statusCode() != 200) {
                throw rejected(call, response.statusCode(), answer(response), null);
            }
            try (InputStream in = response.body()) {
                return new Fetched(in.readAllBytes(), response.headers());
            } catch (IOException e) {
                throw new RetryableFailure(0, e.toString(), Optional.empty(), e);
            }
        });
    }

    /** One request without the registry's credentials (a redirect to blob storage); 429, 5xx, I/O retryable. */
    HttpResponse<InputStream> sendUnauthenticated(Call call, HttpRequest.Builder request) throws RetryableFailure {
        return exchange(call, request, false);
    }

    /** One request with retries; the response of any status but 401 (after re-authenticating once), 429 and 5xx. */
    HttpResponse<InputStream> send(Call call, HttpRequest.Builder request) {
        return retrying(call, () -> sendOnce(call, request));
    }

    /**
     * One request, authenticated: on a 401 the challenge is answered (a token fetched, or Basic credentials used) and
     * the request sent once more. A 401 after that is a {@link RegistryRejectedException}; 429, 5xx and I/O errors
     * are {@link RetryableFailure}s. The caller closes the body of the response it gets.
     */
    HttpResponse<InputStream> sendOnce(Call call, HttpRequest.Builder request) throws RetryableFailure {
        HttpResponse<InputStream> response = exchange(call, request);
        if (response.statusCode() == 401) {
            String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
            String answer = answer(response);
            if (!authenticate(call, AuthChallenge.parse(challenge))) {
                throw rejected(call, 401, answer, null);
            }
            response = exchange(call, request);
            if (response.statusCode() == 401) {
                throw rejected(call, 401, answer(response), null);
            }
        }
        return response;
    }

    private HttpResponse<InputStream> exchange(Call call, HttpRequest.Builder request) throws RetryableFailure {
        return exchange(call, request, true);
    }

    private HttpResponse<InputStream> exchange(Call call, HttpRequest.Builder request, boolean authenticated)
            throws RetryableFailure {
        HttpRequest.Builder builder = request.copy();
        if (authenticated) {
            authorization(call).ifPresent(value -> builder.setHeader("Authorization", value));
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new RetryableFailure(0, e.toString(), Optional.empty(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableFailure(0, "interrupted", Optional.empty(), e);
        }
        int status = response.statusCode();
        if (status == 429 || status >= 500) {
            Optional<Duration> retryAfter = RetryPolicy.retryAfter(response.headers(), clock.instant());
            throw new RetryableFailure(status, answer(response), retryAfter, null);
        }
        return response;
    }

    private Optional<String> authorization(Call call) {
        String host = call.repository().host();
        String token = tokens.get(tokenKey(host, call.scopes()));
        if (token != null) {
            return Optional.of(token);
        }
        return credentials
                .forHost(host)
                .filter(c -> c.preemptive() || basicHosts.contains(host))
                .map(RegistryHttp::basic);
    }

    /** Answers a challenge; false when it cannot be answered (Basic without credentials, an unknown scheme). */
    private boolean authenticate(Call call, Optional<AuthChallenge> challenge) throws RetryableFailure {
        String host = call.repository().host();
        Optional<RegistryCredentials.Credentials> creds = credentials.forHost(host);
        if (challenge.isEmpty()) {
            return false;
        }
        if (challenge.get().isBasic()) {
            if (creds.isEmpty() || basicHosts.contains(host)) {
                return false;
            }
            basicHosts.add(host);
            return true;
        }
        if (!challenge.get().isBearer() || !challenge.get().params().containsKey("realm")) {
            return false;
        }
        tokens.put(tokenKey(host, call.scopes()), "Bearer " + fetchToken(call, challenge.get(), creds));
        return true;
    }

    /** The token of a Bearer challenge's realm for the call's scopes (distribution's token authentication). */
    private String fetchToken(Call call, AuthChallenge challenge, Optional<RegistryCredentials.Credentials> creds)
            throws RetryableFailure {
        StringBuilder query = new StringBuilder();
        Optional.ofNullable(challenge.params().get("service"))
                .ifPresent(s -> query.append("service=").append(encode(s)));
        for (String scope : call.scopes()) {
            query.append(query.isEmpty() ? "" : "&").append("scope=").append(encode(scope));
        }
        String realm = challenge.params().get("realm");
        URI uri = URI.create(realm + (query.isEmpty() ? "" : (realm.contains("?") ? "&" : "?") + query));
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(requestTimeout).GET();
        creds.ifPresent(c -> request.header("Authorization", basic(c)));
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new RetryableFailure(0, "token service " + uri.getHost() + ": " + e, Optional.empty(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableFailure(0, "interrupted", Optional.empty(), e);
        }
        int status = response.statusCode();
        if (status == 429 || status >= 500) {
            throw new RetryableFailure(
                    status,
                    "token service " + uri.getHost() + ": " + answer(response),
                    RetryPolicy.retryAfter(response.headers(), clock.instant()),
                    null);
        }
        if (status != 200) {
            throw rejected(call, status, "token service " + uri.getHost() + ": " + answer(response), null);
        }
        try (InputStream body = response.body()) {
            JsonNode json = JSON.readTree(body);
            String token = json.path("token").asText(json.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw rejected(call, status, "token service " + uri.getHost() + " answered no token", null);
            }
            return token;
        } catch (IOException e) {
            throw new RetryableFailure(0, "token service " + uri.getHost() + ": " + e, Optional.empty(), e);
        }
    }

    private static String tokenKey(String host, List<String> scopes) {
        return host + " " + String.join(" ", scopes);
    }

    private static String basic(RegistryCredentials.Credentials c) {
        String pair = c.username() + ":" + c.password();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** The registry's answer for people: the status, its error codes and messages when it sent JSON. Closes the body. */
    static String answer(HttpResponse<InputStream> response) {
        String body;
        try (InputStream in = response.body()) {
            body = new String(in.readNBytes(ERROR_BODY_LIMIT), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            body = "";
        }
        String errors = "";
        if (body.startsWith("{")) {
            try {
                JsonNode json = JSON.readTree(body);
                errors = json.path("errors")
                        .valueStream()
                        .map(e -> (e.path("code").asText("") + ": "
                                        + e.path("message").asText(""))
                                .replaceFirst("^: ", ""))
                        .collect(Collectors.joining("; "));
            } catch (IOException e) {
                errors = "";
            }
        }
        if (errors.isEmpty() && !body.isEmpty() && !body.startsWith("{") && !body.startsWith("<")) {
            errors = body.length() > 200 ? body.substring(0, 200) + "…" : body;
        }
        return response.statusCode() + (errors.isEmpty() ? "" : " " + errors);
    }

    /** Discards the body of a response whose status says it all. */
    static void discard(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            // the connection is closed instead of reused; nothing else to do
        }
    }

    RegistryRejectedException rejected(Call call, int status, String answer, Throwable cause) {
        String hint = switch (status) {
            case 401 -> "check the registry credentials (ECR: ecr:GetAuthorizationToken and a current token)";
            case 403 ->
                "the credentials are not allowed to " + call.action() + " " + call.repository()
                        + " (ECR: the role's repository policy)";
            case 404 ->
                "check that the repository " + call.repository() + " exists (ECR repositories are"
                        + " created before the first push) and that " + call.reference() + " is in it";
            default -> "the request was refused as it is; retrying will not help";
        };
        return new RegistryRejectedException(
                call.repository().toString(),
                call.reference(),
                status,
                answer,
                "Tried to " + call.action() + " " + call.target() + " but "
                        + call.repository().host() + " answered " + answer + ": " + hint,
                cause);
    }

    private RegistryUnavailableException unavailable(Call call, RetryableFailure f, int attempts, Duration elapsed) {
        return new RegistryUnavailableException(
                call.repository().toString(),
                call.reference(),
                f.status,
                f.answer,
                "Tried to " + call.action() + " " + call.target() + " but "
                        + call.repository().host() + " "
                        + describe(f) + " (" + attempts + " attempt" + (attempts == 1 ? "" : "s") + " in "
                        + elapsed.toMillis() / 100 / 10.0 + " s, retry budget "
                        + retry.budget().toSeconds()
                        + " s): try again later",
                f);
    }

    private static String describe(RetryableFailure f) {
        String text = f.status == 0 ? "did not answer: " + f.answer : "answered " + f.answer;
        return text
                + f.retryAfter
                        .map(d -> " (Retry-After " + d.toSeconds() + " s)")
                        .orElse("");
    }

    static Optional<URI> location(HttpResponse<?> response) {
        return response.headers()
                .firstValue("Location")
                .map(l -> response.request().uri().resolve(l));
    }

    static List<String> pull(ImageRepository repository) {
        return List.of("repository:" + repository.path() + ":pull");
    }

    /** Push to the target, and pull from the source when a mount may name it. */
    static List<String> pushScopes(ImageRepository source, ImageRepository target) {
        String push = "repository:" + target.path() + ":pull,push";
        return source.host().equals(target.host()) && !source.path().equals(target.path())
                ? List.of(push, "repository:" + source.path() + ":pull")
                : List.of(push);
    }

    /** The one line every retried registry request logs: what was asked, what it answered, the next attempt. */
    static void logRetry(Call call, String answered, int nextAttempt, int maxAttempts, Duration wait) {
        LOG.log(
                System.Logger.Level.INFO,
                "{0} {1}: {2}; attempt {3} of {4} in {5} ms",
                call.action(),
                call.target(),
                answered,
                nextAttempt,
                maxAttempts,
                wait.toMillis());
    }
}
