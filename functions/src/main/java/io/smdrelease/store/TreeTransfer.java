package io.smdrelease.store;

import io.smdrelease.version.ImageVersions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Moves a distribution between stores: {@code push-tree} seeds a bucket from a checkout (each version directory is
 * published as a version, so it gets its manifest), {@code pull-version} brings one version back into a checkout for a
 * pull request. Files keep their modes and empty directories are copied, as {@code git} and the original tool's
 * copies keep them.
 */
public final class TreeTransfer {
    /** {@code build_artifacts/vM/vM.m/vM.m.p} and a nested {@code /vM.m.p-pre}. */
    private static final Pattern VERSION_DIR = Pattern.compile(
            "build_artifacts/v(\\d+)/v\\1\\.(\\d+)/v\\1\\.\\2\\.(\\d+)(/v\\1\\.\\2\\.\\3-[0-9A-Za-z.-]+)?");

    /** Files outside versions are written this many at once (a version's files go through its publication). */
    private static final BoundedParallel LOOSE_WRITES = new BoundedParallel(BucketStore.DEFAULT_MAX_CONCURRENCY);

    private TreeTransfer() {}

    /** What a transfer did. */
    public record Summary(int versions, int files) {}

    /** The version directory a file (or directory) belongs to, or {@code null} for those outside versions. */
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

    /**
     * Copies every file and empty directory of {@code from} to {@code to} but git's own ({@code .git/}); each version
     * directory is published whole, parents first.
     */
    public static Summary pushTree(ArtifactStore from, ArtifactStore to) {
        List<String> all =
                from.listFiles("").stream().filter(p -> !isGitMetadata(p)).toList();
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
        Map<String, List<String>> versionEmptyDirs = new LinkedHashMap<>();
        List<String> looseEmptyDirs = new ArrayList<>();
        for (String emptyDir : from.emptyDirectories("")) {
            if (isGitMetadata(emptyDir)) {
                continue;
            }
            String dir = versionDirOf(emptyDir);
            if (dir != null && versions.containsKey(dir)) {
                versionEmptyDirs.computeIfAbsent(dir, d -> new ArrayList<>()).add(emptyDir);
            } else if (!emptyDir.isEmpty()) {
                looseEmptyDirs.add(emptyDir);
            }
        }
        Map<String, ArtifactFile> looseContents = from.readFiles(loose);
        // bounded: thousands of simultaneous uploads overflow a server's accept queue and fail as connect timeouts
        List<Runnable> writes = new ArrayList<>();
        looseContents.forEach((path, file) -> writes.add(() -> to.write(path, file)));
        looseEmptyDirs.forEach(dir -> writes.add(() -> to.createDirectory(dir)));
        LOOSE_WRITES.runEach(writes);
        List<String> dirs = new ArrayList<>(versions.keySet());
        dirs.sort(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()));
        for (String dir : dirs) {
            Map<String, ArtifactFile> files = from.readFiles(versions.get(dir));
            to.publish(replacement(dir, files, versionEmptyDirs.getOrDefault(dir, List.of())));
        }
        return new Summary(dirs.size(), all.size());
    }

    /** The repository's git metadata: not part of the distribution. */
    private static boolean isGitMetadata(String path) {
        return path.equals(".git") || path.startsWith(".git/");
    }

    /** A publication that replaces {@code dir} with {@code files} and {@code emptyDirs}, from this process. */
    private static VersionPublication replacement(
            String dir, Map<String, ArtifactFile> files, Collection<String> emptyDirs) {
        ArtifactFile source = files.get(dir + "/" + ImageVersions.SOURCE_VERSION_FILE);
        return new VersionPublication(
                dir,
                files,
                Map.of(),
                Set.copyOf(emptyDirs),
                true,
                Set.of(),
                source == null ? null : new String(source.content(), StandardCharsets.UTF_8),
                PublicationOwner.thisProcess());
    }

    /**
     * Copies one version directory (without nested prerelease versions) from {@code from} into {@code to}, files with
     * their modes and empty directories, replacing what {@code to} had there.
     */
    public static Summary pullVersion(ArtifactStore from, String versionDir, ArtifactStore to) {
        List<String> paths = from.listFiles(versionDir).stream()
                .filter(path -> versionDir.equals(versionDirOf(path)))
                .toList();
        List<String> emptyDirs = from.emptyDirectories(versionDir).stream()
                .filter(dir -> versionDir.equals(versionDirOf(dir)))
                .toList();
        Map<String, ArtifactFile> files = from.readFiles(paths);
        to.publish(replacement(versionDir, files, emptyDirs));
        return new Summary(1, files.size());
    }
}
