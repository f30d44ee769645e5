package io.smdrelease.store;

import io.smdrelease.error.InvalidInputException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * A bucket whose keys mirror the distribution repository under an optional key prefix:
 * {@code <prefix>build_artifacts/v4/v4.4/v4.4.1/cpu.env.in}, on any {@link ObjectBucket} (S3 in production).
 *
 * <p>A version directory is published by {@link VersionPublisher} (lock, files, {@code manifest.json} last); only a
 * directory with its manifest is complete ({@link #isComplete}). The bookkeeping objects {@code manifest.json} and
 * {@code .lock} directly inside a version directory ({@code build_artifacts/vX/vX.Y/vX.Y.Z}) are not listed by
 * {@link #listFiles} and {@link #children}, so listings match a checkout; {@link #read} and {@link #exists} still see
 * them. Files of those names deeper down are ordinary.
 *
 * <p>A file's mode is its object's user metadata {@link #MODE_METADATA} ({@code 0755} or {@code 0644}; none: 0644).
 * An empty directory is a zero-byte marker object whose key is the directory's key with a trailing {@code /} (the S3
 * console's folder convention), counted only while nothing else is below it; a version's manifest also lists its
 * empty directories, since {@code aws s3 sync} skips markers.
 *
 * <p>Reads of many files and the writes of a publication run in parallel (at most
 * {@link #DEFAULT_MAX_CONCURRENCY} requests at once).
 */
public final class BucketStore implements ArtifactStore {
    public static final String MANIFEST = VersionManifest.FILE_NAME;
    public static final String LOCK = VersionLocks.FILE_NAME;
    public static final int DEFAULT_MAX_CONCURRENCY = 32;
    /** User metadata of a file's object: its mode, {@code 0755} or {@code 0644} (S3: {@code x-amz-meta-mode}). */
    public static final String MODE_METADATA = "mode";

    /** The bookkeeping objects of a version directory ({@code build_artifacts/vX/vX.Y/vX.Y.Z}), hidden from listings. */
    private static final Pattern BOOKKEEPING =
            Pattern.compile("build_artifacts/[^/]+/[^/]+/[^/]+/(manifest\\.json|\\.lock)");

    private final ObjectBucket bucket;
    private final String prefix; // "" or "a/b/"
    private final Clock clock;
    private final BoundedParallel parallel;

    /**
     * @param bucket the objects
     * @param prefix key prefix of the store's root ({@code ""}, {@code null}, {@code "a/b"} or {@code "a/b/"})
     * @param clock  time for manifests and lock ages
     * @throws InvalidInputException when the prefix has an empty, '.' or '..' segment
     */
    public BucketStore(ObjectBucket bucket, String prefix, Clock clock) {
        this(bucket, keyPrefix(prefix, prefix), clock, new BoundedParallel(DEFAULT_MAX_CONCURRENCY));
    }

    private BucketStore(ObjectBucket bucket, String prefix, Clock clock, BoundedParallel parallel) {
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.prefix = prefix;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.parallel = parallel;
    }

    /** The same store with at most {@code maxConcurrency} requests at once; 1 means one at a time. */
    public BucketStore withMaxConcurrency(int maxConcurrency) {
        return new BucketStore(bucket, prefix, clock, new BoundedParallel(maxConcurrency));
    }

    /**
     * A store root's key prefix: {@code ""} or ending with {@code /}.
     *
     * @param what the value as the user gave it, for the message
     * @throws InvalidInputException when the prefix has an empty, '.' or '..' segment
     */
    public static String keyPrefix(String prefix, String what) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        try {
            StorePaths.check(p);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    "invalid key prefix '" + prefix + "' in " + what
                            + ": it must be relative with no empty, '.' or '..' segments",
                    e);
        }
        return p + "/";
    }

    /** The key prefix of the store's root: {@code ""} or ending with {@code /}. */
    public String prefix() {
        return prefix;
    }

    /** The key of a store path. */
    public String key(String path) {
        return prefix + StorePaths.check(path);
    }

    String dirPrefix(String dir) {
        return dir.isEmpty() ? prefix : prefix + StorePaths.check(dir) + "/";
    }

    String uriOf(String path) {
        return bucket.uri(key(path));
    }

    /** The objects this store keeps its files in. */
    public ObjectBucket bucket() {
        return bucket;
    }

    Clock clock() {
        return clock;
    }

    BoundedParallel parallel() {
        return parallel;
    }

    @Override
    public String location() {
        return bucket.uri(prefix);
    }

    /** Only versions with {@code release.json} count as released in a bucket. */
    @Override
    public boolean tracksReleases() {
        return true;
    }

    // ---- reads ----

    /** A file's mode as its object's metadata records it; objects without it (uploaded by other tools) are regular. */
    @Override
    public Optional<ArtifactFile> readFile(String path) {
        return bucket.get(key(path))
                .map(o -> ArtifactFile.withMode(o.content(), o.metadata().get(MODE_METADATA)));
    }

    @Override
    public Optional<byte[]> read(String path) {
        return bucket.get(key(path)).map(ObjectBucket.StoredObject::content);
    }

    @Override
    public Map<String, ArtifactFile> readFiles(Collection<String> paths) {
        List<String> list = List.copyOf(new LinkedHashSet<>(paths));
        List<Callable<Optional<ArtifactFile>>> tasks = new ArrayList<>();
        for (String path : list) {
            tasks.add(() -> readFile(path));
        }
        List<Optional<ArtifactFile>> results = parallel.runAll(tasks);
        Map<String, ArtifactFile> out = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String path = list.get(i);
            results.get(i).ifPresent(file -> out.put(path, file));
        }
        return out;
    }

    @Override
    public boolean exists(String path) {
        return bucket.head(key(path)).isPresent();
    }

    @Override
    public boolean isDirectory(String dir) {
        return bucket.hasObjectsUnder(dirPrefix(dir));
    }

    @Override
    public List<String> listFiles(String dir) {
        TreeSet<String> out = new TreeSet<>();
        for (ObjectBucket.ListedObject o : bucket.list(dirPrefix(dir))) {
            String path = o.key().substring(prefix.length());
            if (!path.isEmpty() && !path.endsWith("/") && !isBookkeeping(path)) {
                out.add(path);
            }
        }
        return List.copyOf(out);
    }

    @Override
    public List<String> children(String dir) {
        String p = dirPrefix(dir);
        ObjectBucket.Listing listing = bucket.listOneLevel(p);
        TreeSet<String> out = new TreeSet<>();
        for (ObjectBucket.ListedObject o : listing.objects()) {
            String name = o.key().substring(p.length());
            if (!name.isEmpty() && !isBookkeeping(StorePaths.join(dir, name))) {
                out.add(name);
            }
        }
        for (String cp : listing.commonPrefixes()) {
            String name = cp.substring(p.length(), cp.length() - 1);
            if (!name.isEmpty()) {
                out.add(name);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Markers ({@code <dir>/}) with nothing else below them; the store's root itself never counts. Markers directly
     * inside a version directory's bookkeeping are ordinary.
     */
    @Override
    public List<String> emptyDirectories(String dir) {
        List<String> keys = bucket.list(dirPrefix(dir)).stream()
                .map(ObjectBucket.ListedObject::key)
                .sorted()
                .toList();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            // sorted keys: whatever lies below a marker follows it directly
            boolean nothingBelow = i + 1 == keys.size() || !keys.get(i + 1).startsWith(key);
            if (key.endsWith("/") && key.length() > prefix.length() && nothingBelow) {
                out.add(key.substring(prefix.length(), key.length() - 1));
            }
        }
        return out;
    }

    /** Writes the directory's marker unless something is below it already. */
    @Override
    public void createDirectory(String dir) {
        String marker = dirPrefix(StorePaths.check(dir));
        if (!bucket.hasObjectsUnder(marker)) {
            bucket.putIfAbsent(marker, new byte[0], Map.of());
        }
    }

    /** The object metadata recording a file's mode. */
    static Map<String, String> modeMetadata(ArtifactFile file) {
        return Map.of(MODE_METADATA, file.mode());
    }

    static boolean isBookkeeping(String path) {
        return BOOKKEEPING.matcher(path).matches();
    }

    @Override
    public Optional<Revision> readRevision(String path) {
        return bucket.get(key(path)).map(o -> new Revision(o.content(), o.eTag()));
    }

    // ---- writes ----

    @Override
    public void write(String path, ArtifactFile file) {
        bucket.put(key(path), file.content(), modeMetadata(file));
    }

    /** A conditional write: {@code If-Match: <ETag>}, or {@code If-None-Match: *} for a new object. */
    @Override
    public boolean writeIfUnchanged(String path, byte[] content, String expectedToken) {
        String key = key(path);
        return (expectedToken == null
                        ? bucket.putIfAbsent(key, content, Map.of())
                        : bucket.putIfMatch(key, content, Map.of(), expectedToken))
                .isPresent();
    }

    // ---- versions ----

    @Override
    public boolean isComplete(String versionDir) {
        return exists(StorePaths.join(StorePaths.check(versionDir), MANIFEST));
    }

    @Override
    public void publish(VersionPublication publication) {
        new VersionPublisher(this).publish(publication);
    }

    /**
     * Deletes the lock of {@code versionDir} whoever holds it (conditionally on the ETag it was read with), for a run
     * known to be dead: {@code smd-release break-lock}.
     *
     * @return the lock that was deleted, or empty when the version had none
     * @throws io.smdrelease.error.VersionLockedException when another run took the lock while it was being broken
     */
    public Optional<VersionLock> breakLock(String versionDir) {
        return new VersionLocks(this).breakLock(versionDir);
    }

    /** The lock of {@code versionDir}, or empty when it has none. */
    public Optional<VersionLock> lock(String versionDir) {
        return new VersionLocks(this)
                .find(StorePaths.join(StorePaths.check(versionDir), LOCK), PublicationOwner.CLI_LOCK_MAX_AGE);
    }

    /** The owner its manifest names: the execution or CLI run that published the version. */
    @Override
    public Optional<String> publisher(String versionDir) {
        return manifest(versionDir).map(VersionManifest::owner);
    }

    /** The manifest of a complete version, or empty when the version is incomplete or absent. */
    public Optional<VersionManifest> manifest(String versionDir) {
        String path = StorePaths.join(StorePaths.check(versionDir), MANIFEST);
        return read(path).map(bytes -> VersionManifest.parse(bytes, uriOf(path)));
    }

    @Override
    public String toString() {
        return "BucketStore[" + location() + "]";
    }
}
