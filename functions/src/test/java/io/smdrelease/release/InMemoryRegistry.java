package io.smdrelease.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.oci.ReferrerManifest;
import io.smdrelease.registry.CopyResult;
import io.smdrelease.registry.Descriptor;
import io.smdrelease.registry.Referrer;
import io.smdrelease.registry.RegistryClient;
import io.smdrelease.registry.RegistryRejectedException;
import io.smdrelease.registry.RegistryUnavailableException;
import io.smdrelease.store.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registries as tags to digests, for the promotion's ordering rules in unit tests (the real client is tested against
 * real registries in its ITs). Records every tag write in order; a repository listed in {@link #down} fails.
 *
 * <p>Manifests and blobs are held too where a test gives them ({@link #putImage}) or pushes them
 * ({@link #pushReferrer}): a referrer's manifest is the real client's ({@link ReferrerManifest}), so its digest is the
 * one a registry would give. A copy carries the manifest and its blobs when the source holds them.
 */
final class InMemoryRegistry implements RegistryClient {
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    final Map<String, String> tags = new ConcurrentHashMap<>();
    final List<String> writes = Collections.synchronizedList(new ArrayList<>());
    final Set<String> down = ConcurrentHashMap.newKeySet();
    /** Manifests by {@code repository@digest}. */
    final Map<String, Stored> manifests = new ConcurrentHashMap<>();
    /** Blobs by {@code repository@digest}. */
    final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    /** Every manifest written by digest only ({@code repository@digest}), in order: pushed referrers, copies. */
    final List<String> digestWrites = Collections.synchronizedList(new ArrayList<>());

    /** A manifest as held: its media type and bytes. */
    record Stored(String mediaType, byte[] raw) {}

    /** Holds a small OCI image manifest (config only, named {@code name}) under {@code tag}; returns its digest. */
    String putImage(String repository, String tag, String name) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"name\":\"" + name + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        String configDigest = sha256(config);
        byte[] raw = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                        + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":"
                        + config.length + "},\"layers\":[]}")
                .getBytes(StandardCharsets.UTF_8);
        String digest = sha256(raw);
        blobs.put(repository + "@" + configDigest, config);
        manifests.put(repository + "@" + digest, new Stored(OCI_MANIFEST, raw));
        tags.put(repository + ":" + tag, digest);
        return digest;
    }

    @Override
    public Optional<String> digestOf(String repository, String tag) {
        fail(repository);
        return Optional.ofNullable(tags.get(repository + ":" + tag));
    }

    @Override
    public CopyResult copy(String sourceRepository, String digest, String targetRepository, String tag) {
        fail(targetRepository);
        if (tag == null) {
            if (holds(targetRepository, digest)) {
                return CopyResult.skipped(targetRepository, null, digest);
            }
            if (!manifests.containsKey(sourceRepository + "@" + digest)) {
                throw rejected(sourceRepository, digest, "MANIFEST_UNKNOWN: manifest unknown");
            }
            copyContent(sourceRepository, digest, targetRepository);
            digestWrites.add(targetRepository + "@" + digest);
            return new CopyResult(targetRepository, null, digest, false, 1, 0, 0, 0, 0);
        }
        copyContent(sourceRepository, digest, targetRepository);
        String previous = tags.put(targetRepository + ":" + tag, digest);
        boolean skipped = digest.equals(previous);
        if (!skipped) {
            writes.add(targetRepository + ":" + tag);
        }
        return skipped
                ? CopyResult.skipped(targetRepository, tag, digest)
                : new CopyResult(targetRepository, tag, digest, false, 1, 0, 0, 0, 0);
    }

    @Override
    public Descriptor describe(String repository, String digest) {
        fail(repository);
        Stored stored = manifests.get(repository + "@" + digest);
        if (stored != null) {
            return new Descriptor(stored.mediaType(), digest, stored.raw().length);
        }
        if (holds(repository, digest)) {
            throw new IllegalStateException("the fake registry knows " + repository + "@" + digest
                    + " only as a tag, not its manifest: make the image with putImage");
        }
        throw rejected(repository, digest, "MANIFEST_UNKNOWN: manifest unknown");
    }

    @Override
    public String pushReferrer(String repository, Referrer referrer) {
        fail(repository);
        ReferrerManifest manifest = ReferrerManifest.of(referrer);
        byte[] raw = manifest.bytes();
        String digest = sha256(raw);
        blobs.put(repository + "@" + ReferrerManifest.EMPTY_CONFIG.digest(), ReferrerManifest.emptyConfigContent());
        referrer.layers().forEach(l -> blobs.put(repository + "@" + sha256(l.content()), l.content()));
        if (manifests.putIfAbsent(repository + "@" + digest, new Stored(OCI_MANIFEST, raw)) == null) {
            digestWrites.add(repository + "@" + digest);
        }
        return digest;
    }

    @Override
    public Referrer readReferrer(String repository, String manifestDigest) {
        fail(repository);
        Stored stored = manifests.get(repository + "@" + manifestDigest);
        if (stored == null) {
            throw rejected(repository, manifestDigest, "MANIFEST_UNKNOWN: manifest unknown");
        }
        ReferrerManifest manifest;
        try {
            manifest = ReferrerManifest.parse(stored.raw());
        } catch (IllegalArgumentException e) {
            throw rejected(repository, manifestDigest, "not a referrer: " + e.getMessage());
        }
        List<byte[]> contents = new ArrayList<>();
        for (Descriptor layer : manifest.layers()) {
            byte[] content = blobs.get(repository + "@" + layer.digest());
            if (content == null || !sha256(content).equals(layer.digest())) {
                throw rejected(repository, layer.digest(), "BLOB_UNKNOWN or a blob of another digest");
            }
            contents.add(content);
        }
        return manifest.withContent(contents);
    }

    /** Whether the repository holds the manifest, or a tag of it (a test's stand-in digest). */
    private boolean holds(String repository, String digest) {
        return manifests.containsKey(repository + "@" + digest)
                || tags.entrySet().stream()
                        .anyMatch(e -> e.getKey().startsWith(repository + ":")
                                && e.getValue().equals(digest));
    }

    /** The manifest and the blobs it names, when the source holds them (stand-in digests have none). */
    private void copyContent(String source, String digest, String target) {
        Stored stored = manifests.get(source + "@" + digest);
        if (stored == null) {
            return;
        }
        manifests.put(target + "@" + digest, stored);
        JsonNode json;
        try {
            json = JSON.readTree(stored.raw());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<JsonNode> named = new ArrayList<>();
        named.add(json.path("config"));
        json.path("layers").forEach(named::add);
        for (JsonNode d : named) {
            byte[] blob = blobs.get(source + "@" + d.path("digest").asText());
            if (blob != null) {
                blobs.put(target + "@" + d.path("digest").asText(), blob);
            }
        }
    }

    private static String sha256(byte[] bytes) {
        return "sha256:" + Sha256.hex(bytes);
    }

    private static RegistryRejectedException rejected(String repository, String reference, String answer) {
        return new RegistryRejectedException(
                repository,
                reference,
                404,
                "404 " + answer,
                "Tried to read " + repository + "@" + reference + " but the registry answered 404 " + answer,
                null);
    }

    private void fail(String repository) {
        if (down.contains(repository)) {
            throw new RegistryUnavailableException(
                    repository,
                    null,
                    0,
                    "connection refused",
                    repository + " is unreachable (connection refused)",
                    null);
        }
    }
}
