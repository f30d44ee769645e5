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
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    public Optional<ArtifactFile> readFile(String path) {
        Path file = resolve(path);
        try {
            byte[] content = Files.readAllBytes(file);
            return Optional.of(new ArtifactFile(content, isExecutable(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            if (Files.isDirectory(file)) {
                return Optional.empty();
            }
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Whether the owner may execute {@code file} (git's executable bit). */
    private static boolean isExecutable(Path file) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        return view != null
                ? view.readAttributes().permissions().contains(PosixFilePermission.OWNER_EXECUTE)
                : Files.isExecutable(file);
    }

    /**
     * Sets {@code file}'s mode as git checks a file out: executable where readable (0644 becomes 0755, 0664 becomes
     * 0775), or without any execute bit.
     */
    private static void setExecutable(Path file, boolean executable) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            file.toFile().setExecutable(executable);
            return;
        }
        Set<PosixFilePermission> permissions =
                new HashSet<>(view.readAttributes().permissions());
        Set<PosixFilePermission> before = Set.copyOf(permissions);
        for (PosixFilePermission[] readExecute : READ_EXECUTE) {
            if (executable && permissions.contains(readExecute[0])) {
                permissions.add(readExecute[1]);
            } else if (!executable) {
                permissions.remove(readExecute[1]);
            }
        }
        if (!permissions.equals(before)) {
            view.setPermissions(permissions);
        }
    }

    private static final PosixFilePermission[][] READ_EXECUTE = {
        {PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_EXECUTE},
        {PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE},
        {PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE}
    };

    /** Writes {@code file} at {@code target} with its mode (not atomically: for a new staging directory). */
    private static void writeFile(Path target, ArtifactFile file) throws IOException {
        Files.createDirectories(target.getParent());
        Files.write(target, file.content());
        setExecutable(target, file.executable());
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
    public List<String> emptyDirectories(String dir) {
        Path base = resolve(dir);
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(base)) {
            return walk.filter(LocalDirStore::isEmptyDirectory)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + base, e);
        }
    }

    private static boolean isEmptyDirectory(Path path) {
        if (!Files.isDirectory(path)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(path)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + path, e);
        }
    }

    @Override
    public void createDirectory(String dir) {
        Path target = resolve(dir);
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + target, e);
        }
    }

    @Override
    public void write(String path, ArtifactFile file) {
        Path target = resolve(path);
        try {
            Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
            writeFile(tmp, file);
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
            for (Map.Entry<String, ArtifactFile> file : publication.files().entrySet()) {
                writeFile(
                        staging.resolve(StorePaths.relativize(publication.versionDir(), file.getKey())),
                        file.getValue());
            }
            for (String dir : publication.emptyDirs()) {
                if (publication.inVersion(dir)) {
                    Files.createDirectories(staging.resolve(StorePaths.relativize(publication.versionDir(), dir)));
                }
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
            for (Map.Entry<String, ArtifactFile> side : publication.sideFiles().entrySet()) {
                if (!exists(side.getKey())) {
                    write(side.getKey(), side.getValue());
                }
            }
            for (String dir : publication.emptyDirs()) {
                if (!publication.inVersion(dir)) {
                    createDirectory(dir);
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
        return read(path).map(content -> new Revision(content, Sha256.hex(content)));
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
