package io.smdrelease.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A manifest as the registry served it: the raw bytes (copied unchanged, so the digest stays), its media type, and what
 * it refers to: the child manifests of an index, or the config and layer blobs of an image manifest.
 */
record Manifest(byte[] raw, String mediaType, List<Descriptor> children, List<Descriptor> blobs) {
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    /** The Accept header of manifest requests: every type this client copies. */
    static final String ACCEPT = String.join(", ", OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

    private static final Set<String> INDEX_TYPES = Set.of(OCI_INDEX, DOCKER_LIST);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A content descriptor: what a manifest points to. */
    record Descriptor(String digest, long size, String mediaType) {
        /** Foreign (non-distributable) layers live outside registries and are not copied. */
        boolean isForeign() {
            return mediaType.contains("foreign") || mediaType.contains("nondistributable");
        }
    }

    boolean isIndex() {
        return INDEX_TYPES.contains(mediaType);
    }

    /**
     * Reads a manifest; the media type from its {@code mediaType} field, else the response's {@code Content-Type}.
     *
     * @throws IllegalArgumentException when it is not JSON, or a schema 1 manifest (not supported)
     */
    static Manifest parse(byte[] raw, Optional<String> contentType) {
        JsonNode json;
        try {
            json = JSON.readTree(raw);
        } catch (IOException e) {
            throw new IllegalArgumentException("the manifest is not JSON: " + e.getMessage(), e);
        }
        if (json == null || !json.isObject() || json.path("schemaVersion").asInt() != 2) {
            throw new IllegalArgumentException("not a schema 2 manifest or index (schema 1 images are not supported)");
        }
        String mediaType = json.path("mediaType")
                .asText(contentType
                        .map(t -> t.split(";", 2)[0].trim())
                        .orElse(json.has("manifests") ? OCI_INDEX : OCI_MANIFEST));
        if (json.has("manifests") && !INDEX_TYPES.contains(mediaType)) {
            mediaType = OCI_INDEX;
        }
        List<Descriptor> children = new ArrayList<>();
        List<Descriptor> blobs = new ArrayList<>();
        if (INDEX_TYPES.contains(mediaType)) {
            json.path("manifests").forEach(d -> children.add(descriptor(d)));
        } else {
            if (json.has("config")) {
                blobs.add(descriptor(json.get("config")));
            }
            json.path("layers").forEach(d -> blobs.add(descriptor(d)));
        }
        return new Manifest(raw, mediaType, List.copyOf(children), List.copyOf(blobs));
    }

    private static Descriptor descriptor(JsonNode node) {
        String digest = node.path("digest").asText("");
        if (digest.isEmpty()) {
            throw new IllegalArgumentException("a descriptor has no digest: " + node);
        }
        return new Descriptor(
                digest, node.path("size").asLong(-1), node.path("mediaType").asText(""));
    }
}
