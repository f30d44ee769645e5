package io.smdrelease.oci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smdrelease.registry.Descriptor;
import io.smdrelease.registry.ImageRepository;
import io.smdrelease.registry.Referrer;
import io.smdrelease.store.Sha256;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The OCI image manifest of a {@link Referrer}, written one way only so that the same referrer always has the same
 * digest: {@code schemaVersion, mediaType, artifactType, config, layers, subject, annotations} in that order, each
 * descriptor {@code mediaType, digest, size}, annotations sorted by key and left out when there are none, compact
 * UTF-8 JSON. Read back with {@link #parse}, which accepts any referrer manifest (another tool's field order too).
 *
 * @param artifactType the artifact's type ({@code artifactType}, else the config's media type as the spec allows)
 * @param subject      the manifest it refers to
 * @param layers       its layers' descriptors, in order
 * @param annotations  the manifest's annotations, sorted by key
 */
public record ReferrerManifest(
        String artifactType, Descriptor subject, List<Descriptor> layers, Map<String, String> annotations) {
    /** The media type of the empty config (OCI image spec 1.1, "Guidance for an empty descriptor"). */
    public static final String EMPTY_MEDIA_TYPE = "application/vnd.oci.empty.v1+json";
    /** The empty config: the two bytes {@code {}}. */
    public static final Descriptor EMPTY_CONFIG = new Descriptor(
            EMPTY_MEDIA_TYPE, "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", 2);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");

    public ReferrerManifest {
        if (artifactType == null || artifactType.isBlank()) {
            throw new IllegalArgumentException("a referrer needs an artifactType");
        }
        ImageRepository.requireDigest(subject.digest());
        layers.forEach(l -> ImageRepository.requireDigest(l.digest()));
        layers = List.copyOf(layers);
        annotations = Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
    }

    /** The manifest of {@code referrer}: its layers described by their media types, digests and lengths. */
    public static ReferrerManifest of(Referrer referrer) {
        List<Descriptor> layers = referrer.layers().stream()
                .map(l -> new Descriptor(l.mediaType(), "sha256:" + Sha256.hex(l.content()), l.content().length))
                .toList();
        return new ReferrerManifest(referrer.artifactType(), referrer.subject(), layers, referrer.annotations());
    }

    /** The empty config's content, {@code {}}. */
    public static byte[] emptyConfigContent() {
        return new byte[] {'{', '}'};
    }

    /** The manifest as it is pushed. */
    public byte[] bytes() {
        ObjectNode manifest = JSON.createObjectNode()
                .put("schemaVersion", 2)
                .put("mediaType", Manifest.OCI_MANIFEST)
                .put("artifactType", artifactType);
        manifest.set("config", descriptor(EMPTY_CONFIG));
        ArrayNode layerNodes = manifest.putArray("layers");
        layers.forEach(l -> layerNodes.add(descriptor(l)));
        manifest.set("subject", descriptor(subject));
        if (!annotations.isEmpty()) {
            ObjectNode node = manifest.putObject("annotations");
            annotations.forEach(node::put); // sorted: the map is a TreeMap
        }
        try {
            return JSON.writeValueAsBytes(manifest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }

    /** {@code sha256:} of {@link #bytes()}: the digest the manifest is pushed under. */
    public String digest() {
        return "sha256:" + Sha256.hex(bytes());
    }

    /** The referrer with its layers' content, in the order of {@link #layers()}. */
    public Referrer withContent(List<byte[]> contents) {
        if (contents.size() != layers.size()) {
            throw new IllegalArgumentException(layers.size() + " layers but " + contents.size() + " contents");
        }
        List<Referrer.Layer> withBytes = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            withBytes.add(new Referrer.Layer(layers.get(i).mediaType(), contents.get(i)));
        }
        return new Referrer(artifactType, subject, withBytes, annotations);
    }

    /**
     * Reads a referrer manifest: an OCI image manifest with a {@code subject} and an {@code artifactType} (or, as the
     * spec allows, a config whose media type is not the empty one).
     *
     * @throws IllegalArgumentException saying what makes it no referrer
     */
    public static ReferrerManifest parse(byte[] raw) {
        JsonNode json;
        try {
            json = JSON.readTree(raw);
        } catch (IOException e) {
            throw new IllegalArgumentException("the manifest is not JSON: " + e.getMessage(), e);
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("the manifest is not a JSON object");
        }
        String mediaType = json.path("mediaType").asText(Manifest.OCI_MANIFEST);
        if (json.has("manifests") || !mediaType.equals(Manifest.OCI_MANIFEST)) {
            throw new IllegalArgumentException("it is " + (json.has("manifests") ? "an image index" : "a " + mediaType)
                    + ", not a referrer (an OCI image manifest with artifactType and subject)");
        }
        if (!json.path("subject").isObject()) {
            throw new IllegalArgumentException(
                    "it has no subject: an image manifest, not a referrer (an OCI image manifest with artifactType"
                            + " and subject)");
        }
        String configType = json.path("config").path("mediaType").asText("");
        String artifactType = json.path("artifactType").asText("");
        if (artifactType.isEmpty() && !configType.equals(EMPTY_MEDIA_TYPE)) {
            artifactType = configType;
        }
        if (artifactType.isEmpty()) {
            throw new IllegalArgumentException("it has no artifactType and its config is empty: not a referrer");
        }
        List<Descriptor> layers = new ArrayList<>();
        json.path("layers").forEach(d -> layers.add(descriptor(d)));
        Map<String, String> annotations = new TreeMap<>();
        json.path("annotations")
                .properties()
                .forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
        return new ReferrerManifest(artifactType, descriptor(json.get("subject")), layers, annotations);
    }

    private static ObjectNode descriptor(Descriptor d) {
        return JSON.createObjectNode()
                .put("mediaType", d.mediaType())
                .put("digest", d.digest())
                .put("size", d.size());
    }

    private static Descriptor descriptor(JsonNode node) {
        String digest = node.path("digest").asText("");
        long size = node.path("size").asLong(-1);
        String mediaType = node.path("mediaType").asText("");
        if (mediaType.isEmpty() || size < 0 || !DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("a descriptor lacks its mediaType, sha256 digest or size: " + node);
        }
        return new Descriptor(mediaType, digest, size);
    }
}
