package io.smdrelease.store;

import io.smdrelease.error.MissingArtifactException;
import io.smdrelease.error.VersionExistsException;
import io.smdrelease.error.VersionLockedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * Publishes a version directory into a {@link BucketStore} (DESIGN.md "Storage layout and safety"):
 *
 * <ol>
 *   <li>take the lock {@code <versionDir>/.lock} ({@link VersionLocks});</li>
 *   <li>refuse a complete version (one with {@code manifest.json}) unless the publication replaces it;</li>
 *   <li>delete the manifest and every old object of the directory except the kept top-level files and the lock
 *       (bucket versioning keeps the old objects);</li>
 *   <li>write the side files that do not exist yet, the files, and read the kept files, all in parallel;</li>
 *   <li>check that the lock is still ours and write {@code manifest.json} last (conditionally: it must not exist),
 *       listing every file of the version (kept ones included) with its size and sha256;</li>
 *   <li>delete the lock (only if it is still ours).</li>
 * </ol>
 *
 * A failure at any step leaves no manifest, so the version reads as incomplete.
 */
final class VersionPublisher {
    private static final System.Logger LOG = System.getLogger(VersionPublisher.class.getName());
    private static final Set<String> RESERVED = Set.of(BucketStore.MANIFEST, BucketStore.LOCK);

    private final BucketStore store;
    private final ObjectBucket bucket;
    private final VersionLocks locks;

    VersionPublisher(BucketStore store) {
        this.store = store;
        this.bucket = store.bucket();
        this.locks = new VersionLocks(store);
    }

    void publish(VersionPublication publication) {
        String dir = StorePaths.check(publication.versionDir());
        PublicationOwner owner = publication.owner();
        for (String path : publication.files().keySet()) {
            StorePaths.check(path);
            if (RESERVED.contains(StorePaths.relativize(dir, path))) {
                throw new IllegalArgumentException(path + " is reserved for the store's bookkeeping");
            }
        }
        publication.sideFiles().keySet().forEach(StorePaths::check);
        // a retry of a run that already published (a Lambda retried after its answer was lost) succeeds unchanged
        if (store.manifest(dir).filter(m -> m.records(publication)).isPresent()) {
            LOG.log(
                    System.Logger.Level.INFO,
                    bucket.uri(store.dirPrefix(dir)) + " is already published by " + owner.name()
                            + " with these files: nothing to write");
            return;
        }
        VersionLocks.Held lock = locks.acquire(dir, owner);
        boolean published = false;
        try {
            Map<String, Long> existing = new TreeMap<>();
            for (ObjectBucket.ListedObject o : bucket.list(store.dirPrefix(dir))) {
                existing.put(o.key().substring(store.prefix().length()), o.size());
            }
            String manifestPath = StorePaths.join(dir, BucketStore.MANIFEST);
            if (existing.containsKey(manifestPath) && !publication.replace()) {
                throw new VersionExistsException(existsMessage(dir));
            }
            List<String> kept = new ArrayList<>();
            for (String name : publication.keepNames()) {
                String path = StorePaths.join(dir, name);
                if (!name.contains("/") && existing.containsKey(path)) {
                    kept.add(path);
                }
            }
            // The manifest goes first (with the rest of the old files), so a failure from here on leaves the
            // version incomplete rather than complete with a stale manifest.
            List<String> stale = new ArrayList<>();
            for (String path : existing.keySet()) {
                boolean overwritten = publication.files().containsKey(path) && !path.equals(manifestPath);
                if (!path.equals(lock.path()) && !kept.contains(path) && !overwritten) {
                    stale.add(path);
                }
            }
            bucket.deleteAll(stale.stream().map(store::key).toList());

            Map<String, byte[]> toWrite = new TreeMap<>(publication.files());
            kept.forEach(toWrite::remove); // a kept file wins over a generated one of the same name
            List<Callable<VersionManifest.Entry>> tasks = new ArrayList<>();
            for (Map.Entry<String, byte[]> side : publication.sideFiles().entrySet()) {
                tasks.add(() -> {
                    bucket.putIfAbsent(store.key(side.getKey()), side.getValue(), Map.of());
                    return null;
                });
            }
            for (Map.Entry<String, byte[]> file : toWrite.entrySet()) {
                tasks.add(() -> {
                    bucket.put(store.key(file.getKey()), file.getValue(), Map.of());
                    return VersionManifest.Entry.of(StorePaths.relativize(dir, file.getKey()), file.getValue());
                });
            }
            for (String path : kept) {
                tasks.add(() -> VersionManifest.Entry.of(
                        StorePaths.relativize(dir, path),
                        store.read(path)
                                .orElseThrow(() -> new StoreException(
                                        store.uriOf(path) + " disappeared while publishing " + dir, null))));
            }
            List<VersionManifest.Entry> entries = store.parallel().runAll(tasks).stream()
                    .filter(Objects::nonNull)
                    .toList();
            writeManifest(dir, publication.sourceVersion(), owner, entries, lock, true);
            published = true;
        } finally {
            locks.release(lock, published);
        }
    }

    /**
     * Writes the manifest of a version directory whose files are already in the bucket (e.g. uploaded by
     * {@code aws s3 sync}): every file below it with its size and sha256, under the lock.
     *
     * @throws MissingArtifactException when the directory has no files
     * @throws VersionLockedException   when another writer holds the version
     */
    void publishExisting(String versionDir, String sourceVersion, PublicationOwner owner) {
        String dir = StorePaths.check(versionDir);
        VersionLocks.Held lock = locks.acquire(dir, owner);
        boolean published = false;
        try {
            List<String> files = store.listFiles(dir).stream()
                    .filter(p -> !RESERVED.contains(StorePaths.relativize(dir, p)))
                    .toList();
            if (files.isEmpty()) {
                throw new MissingArtifactException(
                        "no files under " + bucket.uri(store.dirPrefix(dir)) + " to write a manifest for");
            }
            Map<String, byte[]> contents = store.readAll(files);
            List<VersionManifest.Entry> entries = new ArrayList<>();
            for (String path : files) {
                byte[] bytes = contents.get(path);
                if (bytes == null) {
                    throw new StoreException(
                            store.uriOf(path) + " disappeared while writing the manifest of " + dir, null);
                }
                entries.add(VersionManifest.Entry.of(StorePaths.relativize(dir, path), bytes));
            }
            writeManifest(dir, sourceVersion, owner, entries, lock, false);
            published = true;
        } finally {
            locks.release(lock, published);
        }
    }

    /**
     * Writes the manifest after checking the lock is still ours. With {@code createOnly} (publish, which removed any
     * old manifest under the lock) the write is conditional ({@code If-None-Match: *}), so of two runs that both
     * reach this point (a lock broken by hand while its run was alive) only one completes the version.
     */
    private void writeManifest(
            String dir,
            String sourceVersion,
            PublicationOwner owner,
            List<VersionManifest.Entry> entries,
            VersionLocks.Held lock,
            boolean createOnly) {
        if (!locks.holds(lock)) {
            throw new VersionLockedException("the lock " + store.uriOf(lock.path())
                    + " was broken or taken over while " + owner.name() + " was publishing " + dir
                    + "; the manifest was not written, so the version is incomplete: run again with --force once"
                    + " the other run has finished");
        }
        VersionManifest manifest = new VersionManifest(
                VersionManifest.versionName(dir),
                sourceVersion,
                owner.name(),
                store.clock().instant().toString(),
                entries);
        String path = StorePaths.join(dir, BucketStore.MANIFEST);
        byte[] json = manifest.toJson();
        if (!createOnly) {
            bucket.put(store.key(path), json, Map.of());
        } else if (bucket.putIfAbsent(store.key(path), json, Map.of()).isEmpty() && !isOurs(path, json)) {
            throw new VersionLockedException(store.uriOf(path) + " was written by another run while " + owner.name()
                    + " was publishing " + dir + " (its lock " + store.uriOf(lock.path())
                    + " was broken or taken over); this run's manifest was not written: check the version, or run"
                    + " again with --force");
        }
    }

    /** Whether the object at {@code path} is {@code json}: our write landed and only its answer was lost (retried). */
    private boolean isOurs(String path, byte[] json) {
        return bucket.get(store.key(path))
                .map(o -> java.util.Arrays.equals(o.content(), json))
                .orElse(false);
    }

    private String existsMessage(String dir) {
        return bucket.uri(store.dirPrefix(dir)) + " already exists (it has a " + BucketStore.MANIFEST
                + "): pass --force to replace it (its *.additional_packages_env.in files are kept)";
    }
}
