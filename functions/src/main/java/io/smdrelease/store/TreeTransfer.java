package io.smdrelease.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Moves a distribution between stores: {@code push-tree} seeds a bucket from a checkout (each version directory is
 * published as a version, so it gets its manifest), {@code pull-version} brings one version back into a checkout for a
 * pull request.
 */
public final class TreeTransfer {
    /** {@code build_artifacts/vM/vM.m/vM.m.p} and a nested {@code /vM.m.p-pre}. */
    private static final Pattern VERSION_DIR = Pattern.compile(
            "build_artifacts/v(\\d+)/v\\1\\.(\\d+)/v\\1\\.\\2\\.(\\d+)(/v\\1\\.\\2\\.\\3-[0-9A-Za-z.-]+)?");

    private static final String SOURCE_VERSION = "source-version.txt";
    /** Files outside versions are written this many at once (a version's files go through its publication). */
    private static final BoundedParallel LOOSE_WRITES = new BoundedParallel(BucketStore.DEFAULT_MAX_CONCURRENCY);

    private TreeTransfer() {}

    /** What a transfer did. */
    public record Summary(int versions, int files) {}

    /** The version directory a file belongs to, or {@code null} for files outside versions. */
    static String versionDirOf(String path) {
        String[] parts = path.split("/");
        for (int depth = Math.min(parts.length - 1, 5); depth >= 4; depth--) {
            String candidate = String.join("/", java.util.Arrays.copyOf(parts, depth));
            if (VERSION_DIR.matcher(candidate).matches()) {
                return candidate;
            }
        }
        return null;
    }

    /** Copies every file of {@code from} to {@code to}; each version directory is published whole, parents first. */
    public static Summary pushTree(ArtifactStore from, ArtifactStore to) {
        List<String> all = from.listFiles("");
        Map<String, List<String>> versions = new LinkedHashMap<>();
        List<String> loose = new ArrayList<>();
        for (String path : all) {
            String dir = versionDirOf(path);
            if (dir == null) {
                loose.add(path);
            } else {
                versions.computeIfAbsent(dir, d -> new ArrayList<>()).add(path);
            }
        }
        // a directory holding only additional-packages files is a release's input, not a version
        versions.entrySet().removeIf(entry -> {
            boolean inputOnly = entry.getValue().stream().allMatch(p -> p.endsWith(".additional_packages_env.in"));
            if (inputOnly) {
                loose.addAll(entry.getValue());
            }
            return inputOnly;
        });
        Map<String, byte[]> looseContents = from.readAll(loose);
        // bounded: thousands of simultaneous uploads overflow a server's accept queue and fail as connect timeouts
        List<Runnable> writes = new ArrayList<>();
        looseContents.forEach((path, content) -> writes.add(() -> to.write(path, content)));
        LOOSE_WRITES.runEach(writes);
        List<String> dirs = new ArrayList<>(versions.keySet());
        dirs.sort(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()));
        for (String dir : dirs) {
            Map<String, byte[]> files = from.readAll(versions.get(dir));
            byte[] source = files.get(dir + "/" + SOURCE_VERSION);
            to.publish(new VersionPublication(
                    dir,
                    files,
                    Map.of(),
                    true,
                    java.util.Set.of(),
                    source == null ? null : new String(source, StandardCharsets.UTF_8)));
        }
        return new Summary(dirs.size(), all.size());
    }

    /**
     * Copies one version directory (without nested prerelease versions) from {@code from} into {@code to},
     * replacing what {@code to} had there.
     */
    public static Summary pullVersion(ArtifactStore from, String versionDir, ArtifactStore to) {
        List<String> paths = from.listFiles(versionDir).stream()
                .filter(path -> versionDir.equals(versionDirOf(path)))
                .toList();
        Map<String, byte[]> files = from.readAll(paths);
        byte[] source = files.get(versionDir + "/" + SOURCE_VERSION);
        to.publish(new VersionPublication(
                versionDir,
                files,
                Map.of(),
                true,
                java.util.Set.of(),
                source == null ? null : new String(source, StandardCharsets.UTF_8)));
        return new Summary(1, files.size());
    }
}
