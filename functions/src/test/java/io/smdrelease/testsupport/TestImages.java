package io.smdrelease.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assertions;

/**
 * Stand-in images for registry tests: an OCI layout (written here, layers of random bytes gzipped) pushed with
 * {@code skopeo copy --all --preserve-digests}, so the registry holds exactly the manifests written.
 */
public final class TestImages {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    private TestImages() {}

    /**
     * An image of the layout.
     *
     * @param digest    the manifest (or index) digest
     * @param blobBytes the sizes of the distinct blobs (config and layers; of every child for an index)
     * @param blobs     how many distinct blobs
     */
    public record Image(Path layout, String ref, String digest, long blobBytes, int blobs) {}

    /** Writes one image (config + one layer per size, from {@code seed}) into the OCI layout under {@code ref}. */
    public static Image writeImage(Path layout, String ref, long seed, int... layerSizes) throws IOException {
        Written image = writeManifest(layout, seed, "amd64", layerSizes);
        addToIndexJson(layout, ref, OCI_MANIFEST, image.digest, image.size);
        return new Image(layout, ref, image.digest, image.blobBytes, image.blobs);
    }

    /**
     * Writes one image whose layer {@code i} is {@code layerSizes[i]} random bytes from {@code layerSeeds[i]}: images
     * sharing a seed share that layer (a common base).
     */
    public static Image writeImage(Path layout, String ref, long[] layerSeeds, int[] layerSizes) throws IOException {
        Written image = writeManifest(layout, layerSeeds, "amd64", layerSizes);
        addToIndexJson(layout, ref, OCI_MANIFEST, image.digest, image.size);
        return new Image(layout, ref, image.digest, image.blobBytes, image.blobs);
    }

    /** Writes an image index of an amd64 and an arm64 image (different layers) under {@code ref}. */
    public static Image writeIndex(Path layout, String ref, long seed, int... layerSizes) throws IOException {
        Written amd64 = writeManifest(layout, seed, "amd64", layerSizes);
        Written arm64 = writeManifest(layout, seed + 1, "arm64", layerSizes);
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        for (Written w : List.of(amd64, arm64)) {
            ObjectNode d = manifests
                    .addObject()
                    .put("mediaType", OCI_MANIFEST)
                    .put("digest", w.digest)
                    .put("size", w.size);
            d.putObject("platform").put("architecture", w.arch).put("os", "linux");
        }
        byte[] raw = JSON.writeValueAsBytes(index);
        String digest = writeBlob(layout, raw);
        addToIndexJson(layout, ref, OCI_INDEX, digest, raw.length);
        return new Image(layout, ref, digest, amd64.blobBytes + arm64.blobBytes, amd64.blobs + arm64.blobs);
    }

    /** Pushes {@code ref} of the layout to {@code repository:tag} over plain http; fails the test on error. */
    public static void push(Image image, String repository, String tag) throws IOException, InterruptedException {
        Path log = Files.createTempFile("skopeo-", ".log");
        try {
            Process p = new ProcessBuilder(
                            "skopeo",
                            "copy",
                            "--all",
                            "--preserve-digests",
                            "--dest-tls-verify=false",
                            "oci:" + image.layout() + ":" + image.ref(),
                            "docker://" + repository + ":" + tag)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                Assertions.fail("skopeo copy to " + repository + ":" + tag + " did not finish in 120 s");
            }
            if (p.exitValue() != 0) {
                Assertions.fail("skopeo copy to " + repository + ":" + tag + " failed:\n" + Files.readString(log));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private record Written(String digest, long size, String arch, long blobBytes, int blobs) {}

    private static Written writeManifest(Path layout, long seed, String arch, int... layerSizes) throws IOException {
        long[] seeds = new long[layerSizes.length];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = seed * 1000 + i;
        }
        return writeManifest(layout, seeds, arch, layerSizes);
    }

    private static Written writeManifest(Path layout, long[] seeds, String arch, int... layerSizes) throws IOException {
        long seed = seeds[0];
        List<String> diffIds = new ArrayList<>();
        ArrayNode layers = JSON.createArrayNode();
        long blobBytes = 0;
        for (int i = 0; i < layerSizes.length; i++) {
            byte[] tar = new byte[layerSizes[i]];
            new Random(seeds[i]).nextBytes(tar);
            diffIds.add(sha256(tar));
            byte[] gz = gzip(tar);
            layers.addObject()
                    .put("mediaType", "application/vnd.oci.image.layer.v1.tar+gzip")
                    .put("digest", writeBlob(layout, gz))
                    .put("size", gz.length);
            blobBytes += gz.length;
        }
        ObjectNode config = JSON.createObjectNode().put("architecture", arch).put("os", "linux");
        config.putObject("config").putArray("Env").add("SEED=" + seed);
        ArrayNode ids = config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
        diffIds.forEach(ids::add);
        byte[] configRaw = JSON.writeValueAsBytes(config);
        String configDigest = writeBlob(layout, configRaw);
        blobBytes += configRaw.length;
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST);
        manifest.putObject("config")
                .put("mediaType", "application/vnd.oci.image.config.v1+json")
                .put("digest", configDigest)
                .put("size", configRaw.length);
        manifest.set("layers", layers);
        byte[] raw = JSON.writeValueAsBytes(manifest);
        return new Written(writeBlob(layout, raw), raw.length, arch, blobBytes, layerSizes.length + 1);
    }

    private static void addToIndexJson(Path layout, String ref, String mediaType, String digest, long size)
            throws IOException {
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Path indexFile = layout.resolve("index.json");
        ObjectNode index = Files.exists(indexFile)
                ? (ObjectNode) JSON.readTree(indexFile.toFile())
                : JSON.createObjectNode().put("schemaVersion", 2);
        ArrayNode manifests = index.has("manifests") ? (ArrayNode) index.get("manifests") : index.putArray("manifests");
        manifests
                .addObject()
                .put("mediaType", mediaType)
                .put("digest", digest)
                .put("size", size)
                .putObject("annotations")
                .put("org.opencontainers.image.ref.name", ref);
        Files.write(indexFile, JSON.writeValueAsBytes(index));
    }

    private static String writeBlob(Path layout, byte[] bytes) throws IOException {
        String digest = sha256(bytes);
        Path file = layout.resolve("blobs/sha256/" + digest.substring("sha256:".length()));
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return digest;
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 1024);
        try (GZIPOutputStream gz = new GZIPOutputStream(out) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    public static String sha256(byte[] bytes) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The digest of what {@code skopeo inspect --raw} reads from {@code repository:tag}: an independent check. */
    public static String remoteDigest(String repository, String tag) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        "skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + repository + ":" + tag)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        byte[] raw = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            Assertions.fail("skopeo inspect of " + repository + ":" + tag + " failed");
        }
        return sha256(raw);
    }
}
