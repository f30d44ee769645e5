package io.smdrelease.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a version directory in a bucket, written last by a publication: its presence makes the
 * version complete. It lists every file of the version (kept files included) with its size, SHA-256 and mode, and the
 * version's empty directories, paths relative to the version directory, sorted. {@code aws s3 sync} loses modes and
 * empty directories; the build's fetch restores them from here.
 *
 * @param version       the version's name, {@code 4.4.1}
 * @param sourceVersion the base version it was generated from, or {@code null}
 * @param owner         who published it ({@link PublicationOwner#name()}), or {@code null} in older manifests
 * @param createdAt     when it was written (ISO-8601)
 * @param files         the files, sorted by path
 * @param directories   the empty directories, sorted
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record VersionManifest(
        String version,
        String sourceVersion,
        String owner,
        String createdAt,
        List<Entry> files,
        List<String> directories) {
    public static final String FILE_NAME = "manifest.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public VersionManifest {
        files = files == null
                ? List.of()
                : files.stream().sorted(Comparator.comparing(Entry::path)).toList();
        directories =
                directories == null ? List.of() : directories.stream().sorted().toList();
    }

    /**
     * One file of the version.
     *
     * @param mode {@code 0755} or {@code 0644}; {@code null} in manifests written before modes were recorded
     */
    public record Entry(String path, long size, String sha256, String mode) {
        /** The entry of {@code file} at {@code path} (relative to the version directory). */
        public static Entry of(String path, ArtifactFile file) {
            byte[] content = file.content();
            return new Entry(path, content.length, Sha256.hex(content), file.mode());
        }

        /** Whether this entry records {@code file}: the same content and mode. */
        boolean records(ArtifactFile file) {
            return sha256.equals(Sha256.hex(file.content())) && file.mode().equals(mode);
        }
    }

    /**
     * Whether this manifest records {@code publication} as published: the same owner, the same files with the same
     * content and mode (a kept file, whose content the bucket decides, only by its name), the same empty directories.
     */
    public boolean records(VersionPublication publication) {
        if (!publication.owner().name().equals(owner)) {
            return false;
        }
        Map<String, Entry> byPath = new HashMap<>();
        files.forEach(entry -> byPath.put(entry.path(), entry));
        String dir = publication.versionDir();
        for (Map.Entry<String, ArtifactFile> file : publication.files().entrySet()) {
            String path = StorePaths.relativize(dir, file.getKey());
            Entry entry = byPath.remove(path);
            boolean kept = publication.keepNames().contains(path);
            if (entry == null || (!kept && !entry.records(file.getValue()))) {
                return false;
            }
        }
        List<String> emptyDirs = publication.emptyDirs().stream()
                .filter(publication::inVersion)
                .map(d -> StorePaths.relativize(dir, d))
                .sorted()
                .toList();
        return byPath.keySet().stream().allMatch(publication.keepNames()::contains) && emptyDirs.equals(directories);
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
}
