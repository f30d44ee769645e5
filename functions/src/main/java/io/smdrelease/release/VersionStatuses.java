package io.smdrelease.release;

import io.smdrelease.gates.Candidate;
import io.smdrelease.gates.GateReport;
import io.smdrelease.layout.ReleaseFiles;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.version.ImageVersions;
import io.smdrelease.version.SemVer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads where versions stand in the lifecycle from the files of their directories: {@code yanked.json} over
 * {@code release.json} over the progress of the latest run (gates passed on the current candidates, candidates,
 * generated), and {@code failure.json} when it is newer than that progress. Reads only; a bucket's versions are
 * read in parallel.
 */
public final class VersionStatuses {
    /** Versions read at once from a bucket: each costs a listing and a few small reads. */
    private static final int PARALLEL_READS = 16;

    private static final Set<String> RECORDS = Set.of(
            ReleaseFiles.GATES_JSON,
            ReleaseFiles.APPROVAL_JSON,
            ReleaseFiles.RELEASE_JSON,
            ReleaseFiles.YANKED_JSON,
            ReleaseFiles.FAILURE_JSON);

    private final ArtifactStore store;

    public VersionStatuses(ArtifactStore store) {
        this.store = store;
    }

    /** Every version of the store, newest first: one listing of {@code build_artifacts/}, then each read in parallel. */
    public List<VersionStatus> list() throws InterruptedException {
        Map<SemVer, List<String>> versions = new TreeMap<>(Comparator.reverseOrder());
        for (String path : store.listFiles(ImageVersions.BUILD_ARTIFACTS)) {
            int slash = path.lastIndexOf('/');
            String dir = path.substring(0, slash);
            String leaf = dir.substring(dir.lastIndexOf('/') + 1);
            SemVer version = leaf.startsWith("v") ? exactly(leaf.substring(1)) : null;
            if (version != null && ImageVersions.versionDir(version).equals(dir)) {
                versions.computeIfAbsent(version, v -> new ArrayList<>()).add(path.substring(slash + 1));
            }
        }
        int threads = Math.max(1, Math.min(PARALLEL_READS, versions.size()));
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Optional<VersionStatus>>> reads = new ArrayList<>();
            versions.forEach((version, names) -> reads.add(pool.submit(() -> read(version, names))));
            List<VersionStatus> out = new ArrayList<>();
            for (Future<Optional<VersionStatus>> read : reads) {
                read.get().ifPresent(out::add);
            }
            return out;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /**
     * The status of one version; empty when it has no complete directory (never published, or in a checkout only the
     * additional-packages files that are a release's input).
     */
    public Optional<VersionStatus> read(SemVer version) {
        String dir = ImageVersions.versionDir(version);
        List<String> names = store.children(dir).stream()
                .filter(n -> !n.startsWith("v" + version + "-")) // a prerelease's directory inside a release's
                .toList();
        return read(version, names);
    }

    /** @param names the files of the version's directory */
    private Optional<VersionStatus> read(SemVer version, List<String> names) {
        String dir = ImageVersions.versionDir(version);
        if (names.isEmpty()
                || names.stream().allMatch(n -> n.endsWith(".additional_packages_env.in"))
                || !store.isComplete(dir)) {
            return Optional.empty();
        }
        List<String> paths = names.stream()
                .filter(n -> RECORDS.contains(n) || (n.startsWith("candidate-") && n.endsWith(".json")))
                .map(n -> dir + "/" + n)
                .toList();
        Map<String, byte[]> files = store.readAll(paths);
        Map<String, Candidate> candidates = new LinkedHashMap<>();
        for (String name : names) {
            if (name.startsWith("candidate-") && name.endsWith(".json")) {
                Candidate c = Json.read(files.get(dir + "/" + name), Candidate.class, dir + "/" + name);
                candidates.put(c.imageType(), c);
            }
        }
        GateReport gates = read(files, dir, ReleaseFiles.GATES_JSON, GateReport.class);
        ApprovalRequest approval = read(files, dir, ReleaseFiles.APPROVAL_JSON, ApprovalRequest.class);
        ReleaseRecord release = read(files, dir, ReleaseFiles.RELEASE_JSON, ReleaseRecord.class);
        VersionStatus.Yank yank = read(files, dir, ReleaseFiles.YANKED_JSON, VersionStatus.Yank.class);
        VersionStatus.Failure failure = read(files, dir, ReleaseFiles.FAILURE_JSON, VersionStatus.Failure.class);

        LifecycleState state;
        String execution;
        String since;
        if (release != null) {
            state = yank != null ? LifecycleState.YANKED : LifecycleState.RELEASED;
            execution = release.execution();
            since = yank != null ? yank.at() : release.releasedAt();
        } else if (gates != null && gates.passed() && judgedCurrent(gates, candidates)) {
            state = LifecycleState.GATED;
            execution = gates.execution();
            since = gates.evaluatedAt();
        } else if (!candidates.isEmpty()) {
            state = LifecycleState.CANDIDATE;
            execution = null;
            since = candidates.values().stream()
                    .map(Candidate::pushedAt)
                    .filter(t -> t != null)
                    .max(Comparator.naturalOrder())
                    .orElse(null);
        } else {
            state = LifecycleState.GENERATED;
            execution = null;
            since = null;
        }
        if (release == null && failure != null && !isBefore(failure.failedAt(), since)) {
            state = LifecycleState.FAILED;
            execution = failure.execution();
            since = failure.failedAt();
        }
        if (execution == null) {
            execution = store.publisher(dir).orElse(null);
        }
        return Optional.of(new VersionStatus(
                version.toString(),
                dir,
                state,
                execution,
                since,
                candidates,
                gates,
                state == LifecycleState.GATED ? approval : null,
                release,
                yank,
                failure));
    }

    /**
     * The version a directory name spells, its prerelease whole: the image-version parse keeps three dot-separated
     * fields in all (python-semver's rule), so {@code 1.2.1-rc.1} would read as {@code 1.2.1-rc}. {@code null} when
     * {@code text} is no version.
     */
    public static SemVer exactly(String text) {
        SemVer parsed = SemVer.tryParseImageVersion(text);
        String core = parsed == null ? null : parsed.core() + "-";
        if (parsed != null && parsed.isPrerelease() && text.startsWith(core)) {
            String prerelease = text.substring(core.length());
            return SemVer.isValidPrerelease(prerelease) ? parsed.withPrerelease(prerelease) : null;
        }
        return parsed;
    }

    /** The gates judged the candidates there are now (a later build makes new candidates that are not gated). */
    private static boolean judgedCurrent(GateReport gates, Map<String, Candidate> candidates) {
        return candidates.values().stream()
                .allMatch(c ->
                        c.digest() == null || c.digest().equals(gates.digests().get(c.imageType())));
    }

    /** Whether {@code time} is before {@code reference}; a missing or unreadable time is never before. */
    private static boolean isBefore(String time, String reference) {
        if (time == null || reference == null) {
            return false;
        }
        try {
            return Instant.parse(time).isBefore(Instant.parse(reference));
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static <T> T read(Map<String, byte[]> files, String dir, String name, Class<T> type) {
        byte[] bytes = files.get(dir + "/" + name);
        return bytes == null ? null : Json.read(bytes, type, dir + "/" + name);
    }
}
