package io.smdrelease.testsupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smdrelease.registry.Descriptor;
import io.smdrelease.registry.Referrer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Referrers for registry tests, and their comparison (a layer's content is an array: records compare it by identity). */
public final class TestReferrers {
    private TestReferrers() {}

    /** A signature-like referrer of {@code subject}: two layers and two annotations, all naming {@code name}. */
    public static Referrer signature(Descriptor subject, String name) {
        return new Referrer(
                "application/vnd.example.signature+json",
                subject,
                List.of(
                        new Referrer.Layer("application/jose+json", bytes("{\"payload\":\"" + name + "\"}")),
                        new Referrer.Layer("application/vnd.example.certificate", bytes("certificate of " + name))),
                Map.of("org.opencontainers.image.created", "2026-11-25T10:00:00Z", "io.smdrelease.name", name));
    }

    /** The byte size of a referrer's layers and of its empty config: what a copy of it transfers. */
    public static long blobBytes(Referrer referrer) {
        return 2 + referrer.layers().stream().mapToLong(l -> l.content().length).sum();
    }

    /** Equal artifact type, subject, annotations, and layers of equal media types and bytes. */
    public static void assertSameReferrer(Referrer expected, Referrer actual) {
        assertEquals(expected.artifactType(), actual.artifactType());
        assertEquals(expected.subject(), actual.subject());
        assertEquals(expected.annotations(), actual.annotations());
        assertEquals(expected.layers().size(), actual.layers().size(), "layers");
        for (int i = 0; i < expected.layers().size(); i++) {
            assertEquals(
                    expected.layers().get(i).mediaType(), actual.layers().get(i).mediaType());
            assertArrayEquals(
                    expected.layers().get(i).content(), actual.layers().get(i).content(), "layer " + i);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
