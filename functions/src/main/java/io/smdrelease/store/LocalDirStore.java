package io.smdrelease.store;

import io.smdrelease.error.VersionExistsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A checkout of the distribution repository. A version's directory is the version (the original tool's rule), and a
 * version is published by building it in a hidden staging directory beside the target and renaming it into place, so
 * that a failure leaves the previous state untouched.
 */
public final class LocalDirStore implements ArtifactStore {
    private final Path root;

    public LocalDirStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public String location() {
        return root.toString();
    }

    /** A checkout: a version whose env.out exists is built, as in the original tool. */
    @Override
    public boolean tracksReleases() {
        return false;
    }

    private Path resolve(String path) {
        return path.isEmpty() ? root : root.resolve(StorePaths.check(path));
    }

    @Override
    public Optional<byte[]> read(String path) {
        try {
            return Optional.of(Files.readAllBytes(resolve(path)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            if (Files.isDirectory(resolve(path))) {
                return Optional.empty();
            }
            throw new UncheckedIOException("cannot read " + resolve(path), e);
        }
    }

    @Override
    public boolean exists(String path) {
        return Files.isRegularFile(resolve(path));
    }

    @Override
    public boolean isDirectory(String dir) {
        return Files.isDirectory(resolve(dir));
    }

    @Override
    public List<String> listFiles(String dir) {
        Path base = resolve(dir);
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(base)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + base, e);
        }
    }

    @Override
    public List<String> children(String dir) {
        Path base = resolve(dir);
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(base)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + base, e);
        }
    }

    @Override
    public void write(String path, byte[] content) {
        Path target = resolve(path);
        try {
            Files.createDirectories(target.getParent());
            Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
            Files.write(tmp, content);
            moveAtomically(tmp, target, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    @Override
    public void publish(VersionPublication publication) {
        Path target = resolve(publication.versionDir());
        if (Files.exists(target) && !publication.replace() && !holdsOnly(target, publication.keepNames())) {
            throw new VersionExistsException(existsMessage(publication.versionDir()));
        }
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new VersionExistsException(target + " exists but is not a directory: move it away and run again");
        }
        String hiddenName = "." + target.getFileName() + "." + UUID.randomUUID();
        Path staging = target.resolveSibling(hiddenName + ".staging");
        Path old = target.resolveSibling(hiddenName + ".old");
        try {
            Files.createDirectories(target.getParent());
            Files.createDirectory(staging);
            for (Map.Entry<String, byte[]> file : publication.files().entrySet()) {
                Path dest = staging.resolve(StorePaths.relativize(publication.versionDir(), file.getKey()));
                Files.createDirectories(dest.getParent());
                Files.write(dest, file.getValue());
            }
            if (Files.isDirectory(target)) {
                for (String keep : publication.keepNames()) {
                    Path kept = target.resolve(keep);
                    if (Files.isRegularFile(kept)) {
                        Files.copy(
                                kept,
                                staging.resolve(keep),
                                StandardCopyOption.COPY_ATTRIBUTES,
                                StandardCopyOption.REPLACE_EXISTING); // the kept file wins over a generated one
                    }
                }
            }
            for (Map.Entry<String, byte[]> side : publication.sideFiles().entrySet()) {
                if (!exists(side.getKey())) {
                    write(side.getKey(), side.getValue());
                }
            }
            if (Files.isDirectory(target)) {
                moveAtomically(target, old, false);
                try {
                    moveAtomically(staging, target, false);
                } catch (IOException e) {
                    moveAtomically(old, target, false);
                    throw e;
                }
                deleteRecursively(old);
            } else {
                try {
                    moveAtomically(staging, target, false);
                } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                    throw new VersionExistsException(existsMessage(publication.versionDir())
                            + " (another run created it while this one was writing)");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish " + target + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(staging);
        }
    }

    /** Whether {@code dir} is a directory whose entries are all files named in {@code names}. */
    private static boolean holdsOnly(Path dir, java.util.Set<String> names) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.allMatch(p ->
                    Files.isRegularFile(p) && names.contains(p.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static String existsMessage(String versionDir) {
        return versionDir
                + " already exists: pass --force to replace it (its *.additional_packages_env.in files are kept)";
    }

    @Override
    public Optional<Revision> readRevision(String path) {
        return read(path).map(content -> new Revision(content, sha256(content)));
    }

    /** Compare-and-swap under a lock file beside the target, which also excludes other processes. */
    @Override
    public boolean writeIfUnchanged(String path, byte[] content, String expectedToken) {
        Path target = resolve(path);
        synchronized (target.toString().intern()) {
            try {
                Files.createDirectories(target.getParent());
                Path lockFile = target.resolveSibling("." + target.getFileName() + ".lock");
                try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(
                                lockFile,
                                java.nio.file.StandardOpenOption.CREATE,
                                java.nio.file.StandardOpenOption.WRITE);
                        java.nio.channels.FileLock ignored = channel.lock()) {
                    Optional<Revision> current = readRevision(path);
                    String currentToken = current.map(Revision::token).orElse(null);
                    if (!java.util.Objects.equals(currentToken, expectedToken)) {
                        return false;
                    }
                    write(path, content);
                    return true;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + target, e);
            }
        }
    }

    private static String sha256(byte[] content) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A version's directory with its files is the version; one that holds only a nested prerelease is not. */
    @Override
    public boolean isComplete(String versionDir) {
        Path dir = resolve(versionDir);
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.anyMatch(Files::isRegularFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static void moveAtomically(Path from, Path to, boolean replace) throws IOException {
        try {
            if (replace) {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (AtomicMoveNotSupportedException e) {
            if (replace) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(from, to);
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteRecursively(dir);
        } catch (IOException ignored) {
            // best effort: a leftover hidden staging directory is never read as a version
        }
    }
}
