package io.smdrelease.aws.ecr;

import io.smdrelease.oci.RegistryCredentials;
import io.smdrelease.registry.RegistryRejectedException;
import io.smdrelease.registry.RegistryUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;

/**
 * Basic credentials for ECR registries from {@code GetAuthorizationToken} (user {@code AWS}, a 12-hour password), for
 * {@code <account>.dkr.ecr.<region>.amazonaws.com} hosts and for the hosts named in {@code ECR_REGISTRY_HOSTS}
 * ({@code host=region ...}: a VPC endpoint's name, or an emulator's registry, as the build scripts read it). Tokens are
 * cached per host until 10 minutes before they expire. Other hosts get none.
 */
public final class EcrRegistryCredentials implements RegistryCredentials {
    /** The variable naming extra ECR registry hosts, shared with buildspecs/scripts/registry-login.sh. */
    public static final String HOSTS_VARIABLE = "ECR_REGISTRY_HOSTS";

    private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(10);

    private final Function<String, EcrClient> clientForRegion;
    private final Map<String, String> mappedHosts;
    private final Clock clock;
    private final Map<String, EcrClient> clients = new ConcurrentHashMap<>();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    private record Token(Credentials credentials, Instant expiresAt) {}

    /**
     * @param clientForRegion the ECR client of a region (one is made per region and kept)
     * @param mappedHosts     extra ECR hosts and their regions
     */
    public EcrRegistryCredentials(
            Function<String, EcrClient> clientForRegion, Map<String, String> mappedHosts, Clock clock) {
        this.clientForRegion = clientForRegion;
        this.mappedHosts = Map.copyOf(mappedHosts);
        this.clock = clock;
    }

    /** SDK clients with the light HTTP client; extra hosts from {@code ECR_REGISTRY_HOSTS} of {@code env}. */
    public static EcrRegistryCredentials fromEnvironment(Map<String, String> env) {
        return new EcrRegistryCredentials(
                EcrImageSizes::client, parseHosts(env.getOrDefault(HOSTS_VARIABLE, "")), Clock.systemUTC());
    }

    /**
     * {@code host=region host2=region2} as a map.
     *
     * @throws IllegalArgumentException naming the entry that is not {@code host=region}
     */
    public static Map<String, String> parseHosts(String value) {
        Map<String, String> hosts = new LinkedHashMap<>();
        for (String entry : value.trim().split("\\s+")) {
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException(
                        HOSTS_VARIABLE + " entry '" + entry + "' is not host=region (e.g. 127.0.0.1:4566=us-east-1)");
            }
            hosts.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return hosts;
    }

    /** The region of an ECR registry host, empty for other hosts. */
    public Optional<String> regionOf(String host) {
        String mapped = mappedHosts.get(host);
        if (mapped != null) {
            return Optional.of(mapped);
        }
        // EcrRepository knows the private ECR URI form; a host is a URI without its repository name
        return EcrRepository.parse(host + "/r").map(EcrRepository::region);
    }

    @Override
    public Optional<Credentials> forHost(String host) {
        Optional<String> region = regionOf(host);
        if (region.isEmpty()) {
            return Optional.empty();
        }
        Token token = tokens.compute(
                host,
                (h, cached) -> cached != null
                                && clock.instant().plus(RENEW_BEFORE_EXPIRY).isBefore(cached.expiresAt())
                        ? cached
                        : fetch(h, region.get()));
        return Optional.of(token.credentials());
    }

    private Token fetch(String host, String region) {
        EcrClient ecr = clients.computeIfAbsent(region, clientForRegion);
        String tried = "Tried to get an ECR login token for " + host + " (GetAuthorizationToken in " + region + ")";
        AuthorizationData data;
        try {
            data = ecr.getAuthorizationToken(r -> {}).authorizationData().stream()
                    .findFirst()
                    .orElseThrow(() -> new RegistryRejectedException(
                            host, "", 200, "no authorization data", tried + " but ECR answered none", null));
        } catch (SdkServiceException e) {
            String answer = e.statusCode() + " " + e.getMessage();
            if (e.statusCode() >= 500 || e.isThrottlingException()) {
                throw new RegistryUnavailableException(
                        host,
                        "",
                        e.statusCode(),
                        answer,
                        tried + " but ECR answered " + answer + ": try again later",
                        e);
            }
            throw new RegistryRejectedException(
                    host,
                    "",
                    e.statusCode(),
                    answer,
                    tried + " but ECR answered " + answer
                            + ": check the AWS credentials and that they allow ecr:GetAuthorizationToken",
                    e);
        } catch (SdkClientException e) {
            throw new RegistryUnavailableException(
                    host, "", 0, e.getMessage(), tried + " but it failed: " + e.getMessage(), e);
        }
        String decoded = new String(Base64.getDecoder().decode(data.authorizationToken()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new RegistryRejectedException(
                    host,
                    "",
                    200,
                    "a token that is not user:password",
                    tried + " but ECR answered a token that" + " is not base64 of user:password",
                    null);
        }
        Instant expiresAt =
                data.expiresAt() != null ? data.expiresAt() : clock.instant().plus(Duration.ofHours(1));
        return new Token(new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1), true), expiresAt);
    }
}
