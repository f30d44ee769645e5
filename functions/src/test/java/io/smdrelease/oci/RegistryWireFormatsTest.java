package io.smdrelease.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the registry client reads off the wire: Retry-After, WWW-Authenticate, manifests. */
class RegistryWireFormatsTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void retryAfter_secondsOrHttpDate_pastDateIsZero_garbageIsEmpty() {
        assertEquals(Optional.of(Duration.ofSeconds(7)), RetryPolicy.parseRetryAfter("7", NOW));
        assertEquals(
                Optional.of(Duration.ofSeconds(30)), RetryPolicy.parseRetryAfter("Wed, 25 Nov 2026 10:00:30 GMT", NOW));
        assertEquals(Optional.of(Duration.ZERO), RetryPolicy.parseRetryAfter("Wed, 25 Nov 2026 09:00:00 GMT", NOW));
        assertEquals(Optional.empty(), RetryPolicy.parseRetryAfter("soon", NOW));
    }

    @Test
    void waits_retryAfterWins_cappedAtMaxWait_elseDoublingBackoff() {
        RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1));
        assertEquals(Duration.ofSeconds(3), policy.waitAfter(1, Optional.of(Duration.ofSeconds(3))));
        assertEquals(Duration.ofSeconds(10), policy.waitAfter(1, Optional.of(Duration.ofSeconds(3600))));
        assertEquals(Duration.ofSeconds(1), policy.waitAfter(1, Optional.empty()));
        assertEquals(Duration.ofSeconds(4), policy.waitAfter(3, Optional.empty()));
        assertEquals(Duration.ofSeconds(10), policy.waitAfter(9, Optional.empty()));
    }

    @Test
    void challenges_bearerWithQuotedParams_basic() {
        AuthChallenge bearer = AuthChallenge.parse(
                        "Bearer realm=\"https://auth.example/token\",service=\"registry.example\","
                                + "scope=\"repository:a/b:pull,push\"")
                .orElseThrow();
        assertTrue(bearer.isBearer());
        assertEquals(
                Map.of(
                        "realm", "https://auth.example/token",
                        "service", "registry.example",
                        "scope", "repository:a/b:pull,push"),
                bearer.params());
        AuthChallenge basic = AuthChallenge.parse("Basic realm=\"https://123.dkr.ecr.us-east-1.amazonaws.com/\"")
                .orElseThrow();
        assertTrue(basic.isBasic());
        assertEquals(Optional.empty(), AuthChallenge.parse(""));
    }

    @Test
    void manifests_imageBlobs_indexChildren_schema1Refused() {
        String digest = "sha256:" + "1".repeat(64);
        String image = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
                + "\"config\":{\"mediaType\":\"c\",\"digest\":\"" + digest + "\",\"size\":2},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip\","
                + "\"digest\":\"sha256:" + "2".repeat(64) + "\",\"size\":5}]}";
        Manifest m = Manifest.parse(bytes(image), Optional.of("application/vnd.oci.image.manifest.v1+json"));
        assertEquals(Manifest.DOCKER_MANIFEST, m.mediaType(), "the mediaType field wins over Content-Type");
        assertEquals(2, m.blobs().size());
        assertTrue(m.blobs().get(1).isForeign());

        String index = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + Manifest.OCI_MANIFEST
                + "\",\"digest\":\"" + digest + "\",\"size\":9}]}";
        Manifest i = Manifest.parse(bytes(index), Optional.of(Manifest.OCI_INDEX + "; charset=utf-8"));
        assertTrue(i.isIndex());
        assertEquals(List.of(new Manifest.Descriptor(digest, 9, Manifest.OCI_MANIFEST)), i.children());

        assertThrows(
                IllegalArgumentException.class,
                () -> Manifest.parse(bytes("{\"schemaVersion\":1,\"fsLayers\":[]}"), Optional.empty()));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
