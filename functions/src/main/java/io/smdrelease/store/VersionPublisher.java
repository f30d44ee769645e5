package io.smdrelease.store;

import io.smdrelease.error.VersionExistsException;
import io.smdrelease.error.VersionLockedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * Publishes a version directory into a {@link BucketStore} (DESIGN.md "Storage layout and safety"):
 *
 * <ol>
 *   <li>take the lock {@code <versionDir>/.lock} ({@link VersionLocks});</li>
 *   <li>refuse a complete version (one with {@code manifest.json}) unless the publication replaces it;</li>
 *   <li>delete the manifest and every old object of the directory except the kept top-level files and the lock
 *       (bucket versioning keeps the old objects);</li>
 *   <li>write the side files and directories that do not exist yet, the files (their mode in the object metadata),
 *       the markers of the version's empty directories, and read the kept files, all in parallel;</li>
 *   <li>check that the lock is still ours and write {@code manifest.json} last (conditionally: it must not exist),
 *       listing every file of the version (kept ones included) with its size, sha256 and mode, and its empty
 *       directories;</li>
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
            // store paths of the directory's objects; an empty directory's marker ends with '/'
            Set<String> existing = new TreeSet<>();
            for (ObjectBucket.ListedObject o : bucket.list(store.dirPrefix(dir))) {
                existing.add(o.key().substring(store.prefix().length()));
            }
            String manifestPath = StorePaths.join(dir, BucketStore.MANIFEST);
            if (existing.contains(manifestPath) && !publication.replace()) {
                throw new VersionExistsException(existsMessage(dir));
            }
            List<String> kept = new ArrayList<>();
            for (String name : publication.keepNames()) {
                String path = StorePaths.join(dir, name);
                if (!name.contains("/") && existing.contains(path)) {
                    kept.add(path);
                }
            }
            List<String> versionDirs = publication.emptyDirs().stream()
                    .filter(publication::inVersion)
                    .toList();
            Set<String> markers = new TreeSet<>();
            versionDirs.forEach(d -> markers.add(d + "/"));
            // The manifest goes first (with the rest of the old objects), so a failure from here on leaves the
            // version incomplete rather than complete with a stale manifest.
            List<String> stale = new ArrayList<>();
            for (String path : existing) {
                boolean overwritten = publication.files().containsKey(path) && !path.equals(manifestPath);
                if (!path.equals(lock.path()) && !kept.contains(path) && !overwritten && !markers.contains(path)) {
                    stale.add(path);
                }
            }
            bucket.deleteAll(stale.stream().map(p -> store.prefix() + p).toList());

            List<Callable<VersionManifest.Entry>> tasks = new ArrayList<>();
            for (Map.Entry<String, ArtifactFile> side : publication.sideFiles().entrySet()) {
                tasks.add(() -> {
                    ArtifactFile file = side.getValue();
                    bucket.putIfAbsent(store.key(side.getKey()), file.content(), BucketStore.modeMetadata(file));
                    return null;
                });
            }
            for (String sideDir : publication.emptyDirs()) {
                if (!publication.inVersion(sideDir)) {
                    tasks.add(() -> {
                        store.createDirectory(sideDir);
                        return null;
                    });
                }
            }
            Map<String, ArtifactFile> toWrite = new TreeMap<>(publication.files());
            kept.forEach(toWrite::remove); // a kept file wins over a generated one of the same name
            for (Map.Entry<String, ArtifactFile> file : toWrite.entrySet()) {
                tasks.add(() -> {
                    ArtifactFile content = file.getValue();
                    bucket.put(store.key(file.getKey()), content.content(), BucketStore.modeMetadata(content));
                    return VersionManifest.Entry.of(StorePaths.relativize(dir, file.getKey()), content);
                });
            }
            for (String marker : markers) {
                if (!existing.contains(marker)) {
                    tasks.add(() -> {
                        bucket.put(store.prefix() + marker, new byte[0], Map.of());
                        return null;
                    });
                }
            }
            for (String path : kept) {
                tasks.add(() -> VersionManifest.Entry.of(
                        StorePaths.relativize(dir, path),
                        store.readFile(path)
                                .orElseThrow(() -> new StoreException(
                                        store.uriOf(path) + " disappeared while publishing " + dir, null))));
            }
            List<VersionManifest.Entry> entries = store.parallel().runAll(tasks).stream()
                    .filter(Objects::nonNull)
                    .toList();
            List<String> directories =
                    versionDirs.stream().map(d -> StorePaths.relativize(dir, d)).toList();
            writeManifest(dir, publication.sourceVersion(), owner, entries, directories, lock);
            published = true;
        } finally {
            locks.release(lock, published);
        }
    }

    /**
     * Writes the manifest after checking the lock is still ours. The write is conditional ({@code If-None-Match: *}:
     * the publication removed any old manifest under the lock), so of two runs that both reach this point (a lock
     * broken by hand while its run was alive) only one completes the version.
     */
    private void writeManifest(
            String dir,
            String sourceVersion,
            PublicationOwner owner,
            List<VersionManifest.Entry> entries,
            List<String> directories,
            VersionLocks.Held lock) {
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
                entries,
                directories);
        String path = StorePaths.join(dir, BucketStore.MANIFEST);
        byte[] json = manifest.toJson();
        if (bucket.putIfAbsent(store.key(path), json, Map.of()).isEmpty() && !isOurs(path, json)) {
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
