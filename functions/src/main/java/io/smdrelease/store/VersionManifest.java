package io.smdrelease.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a version directory in a bucket, written last by a publication: its presence makes the
 * version complete. It lists every file of the version (kept files included) with its size and SHA-256, paths
 * relative to the version directory, sorted.
 *
 * @param version       the version's name, {@code 4.4.1}
 * @param sourceVersion the base version it was generated from, or {@code null}
 * @param owner         who published it ({@link PublicationOwner#name()}), or {@code null} in older manifests
 * @param createdAt     when it was written (ISO-8601)
 * @param files         the files, sorted by path
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record VersionManifest(String version, String sourceVersion, String owner, String createdAt, List<Entry> files) {
    public static final String FILE_NAME = "manifest.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public VersionManifest {
        files = files == null
                ? List.of()
                : files.stream().sorted(Comparator.comparing(Entry::path)).toList();
    }

    /** One file of the version. */
    public record Entry(String path, long size, String sha256) {
        /** The entry of {@code content} at {@code path} (relative to the version directory). */
        public static Entry of(String path, byte[] content) {
            return new Entry(path, content.length, VersionManifest.sha256(content));
        }
    }

    /**
     * Whether this manifest records {@code publication} as published: the same owner, and the same files with the
     * same content (a kept file, whose content the bucket decides, only by its name).
     */
    public boolean records(VersionPublication publication) {
        if (!publication.owner().name().equals(owner)) {
            return false;
        }
        Map<String, Entry> byPath = new HashMap<>();
        files.forEach(entry -> byPath.put(entry.path(), entry));
        String dir = publication.versionDir();
        for (Map.Entry<String, byte[]> file : publication.files().entrySet()) {
            String path = StorePaths.relativize(dir, file.getKey());
            Entry entry = byPath.remove(path);
            boolean kept = publication.keepNames().contains(path);
            if (entry == null || (!kept && !entry.sha256().equals(sha256(file.getValue())))) {
                return false;
            }
        }
        return byPath.keySet().stream().allMatch(publication.keepNames()::contains);
    }

    public Instant createdAtInstant() {
        return Instant.parse(createdAt);
    }

    /** {@code v4.4.1} → {@code 4.4.1}; other names as they are. */
    public static String versionName(String versionDir) {
        String name = StorePaths.name(versionDir);
        return name.length() > 1 && name.charAt(0) == 'v' && Character.isDigit(name.charAt(1))
                ? name.substring(1)
                : name;
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise the manifest of " + version, e);
        }
    }

    /**
     * Parses a manifest.
     *
     * @param where the object, for the message of an unreadable manifest
     */
    public static VersionManifest parse(byte[] json, String where) {
        try {
            return JSON.readValue(json, VersionManifest.class);
        } catch (IOException e) {
            throw new StoreException("unreadable " + where + ": " + e.getMessage(), e);
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
