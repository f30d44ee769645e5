package io.smdrelease.store;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a distribution's files live: a local checkout of the distribution repository or a bucket whose keys mirror
 * it. Paths are relative, '/'-separated and validated by {@link StorePaths#check(String)}: {@code build_artifacts/v4/v4.4/v4.4.1/cpu.env.in}.
 *
 * <p>Everything the core reads and writes goes through this interface, so one algorithm serves the CLI and the Lambda.
 */
public interface ArtifactStore {

    /** Where this store points, for messages: a directory path or {@code s3://bucket/prefix}. */
    String location();

    /** One file with its mode, or empty when there is no such file. */
    Optional<ArtifactFile> readFile(String path);

    /** Where a path of this store is, for messages and outputs: {@code s3://bucket/prefix/path} or a file path. */
    default String locationOf(String path) {
        String root = location();
        return root.endsWith("/") ? root + path : root + "/" + path;
    }

    /** The bytes of one file, or empty when there is no such file. */
    default Optional<byte[]> read(String path) {
        return readFile(path).map(ArtifactFile::content);
    }

    /**
     * Reads many files with their modes at once (in parallel where the store benefits from it), in the order asked.
     * Absent files are not in the map.
     */
    default Map<String, ArtifactFile> readFiles(Collection<String> paths) {
        Map<String, ArtifactFile> out = new LinkedHashMap<>();
        for (String path : paths) {
            readFile(path).ifPresent(file -> out.put(path, file));
        }
        return out;
    }

    /** Reads many files' bytes at once, like {@link #readFiles}. */
    default Map<String, byte[]> readAll(Collection<String> paths) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        readFiles(paths).forEach((path, file) -> out.put(path, file.content()));
        return out;
    }

    /** Whether a file exists at {@code path}. */
    boolean exists(String path);

    /** Whether {@code dir} is a directory: locally a directory, in a bucket a prefix with at least one object. */
    boolean isDirectory(String dir);

    /** Every file below {@code dir}, recursively, as store paths, sorted. Empty when {@code dir} does not exist. */
    List<String> listFiles(String dir);

    /** The names of the direct children (files and directories) of {@code dir}, sorted. */
    List<String> children(String dir);

    /**
     * Every directory at or below {@code dir} that holds nothing, as store paths, sorted: what a copy must create
     * besides the files (a template's {@code dirs/} may hold empty directories the image needs). In a bucket an empty
     * directory is a zero-byte marker object whose key is the directory's key with a trailing {@code /}, the S3
     * console's convention, with nothing else below it.
     */
    List<String> emptyDirectories(String dir);

    /** Creates an empty directory (and its parents) unless it exists. */
    void createDirectory(String dir);

    /** Writes one file with its mode, creating parent directories as needed. */
    void write(String path, ArtifactFile file);

    /** Writes one file that is not executable, creating parent directories as needed. */
    default void write(String path, byte[] content) {
        write(path, ArtifactFile.regular(content));
    }

    /**
     * Publishes a version directory as one unit: the files land completely or the store reports an error and no
     * complete version is visible under that directory. See {@link VersionPublication} for replacement rules.
     *
     * @throws io.smdrelease.error.VersionExistsException when the directory exists and the publication does not replace
     * @throws io.smdrelease.error.VersionLockedException when another writer holds the version
     */
    void publish(VersionPublication publication);

    /**
     * Whether a published version directory is complete. Locally a version's directory is the version (the original
     * tool's rule); in a bucket only a directory with its {@code manifest.json} is complete.
     */
    boolean isComplete(String versionDir);

    /**
     * Whether this store records releases ({@code release.json}): a bucket does, so only released versions count
     * there and a released version always has its env.out files; a checkout of the distribution repository does not,
     * and keeps the original tool's rules (a version whose env.out exists is built).
     */
    boolean tracksReleases();

    /**
     * Who published a complete version directory (the owner named in a bucket's manifest: an execution ARN or
     * {@code cli:user@host}), or empty when the store does not record it or the version is not complete.
     */
    default Optional<String> publisher(String versionDir) {
        return Optional.empty();
    }

    /** A file's content and a token that changes whenever the file does (its ETag in a bucket). */
    record Revision(byte[] content, String token) {}

    /** The file with its revision token, or empty when there is no such file. */
    Optional<Revision> readRevision(String path);

    /**
     * Writes {@code path} only if it is still at {@code expectedToken} ({@code null}: only if it does not exist), so
     * that two concurrent read-modify-write cycles never lose one of the updates.
     *
     * @return {@code false} when the file changed in between: read it again and redo the change
     */
    boolean writeIfUnchanged(String path, byte[] content, String expectedToken);
}
