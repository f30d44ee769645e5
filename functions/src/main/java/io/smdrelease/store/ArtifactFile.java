package io.smdrelease.store;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A file's bytes and whether it is executable: the two file modes git records for a repository's files (100644 and
 * 100755), so the one distinction that survives a checkout and must survive every copy (entrypoints, {@code start-*},
 * {@code *.sh}, {@code serve}). Recorded as {@link #mode()} {@code 0755} or {@code 0644} in a bucket.
 */
public record ArtifactFile(byte[] content, boolean executable) {
    public static final String EXECUTABLE_MODE = "0755";
    public static final String REGULAR_MODE = "0644";

    public ArtifactFile {
        content = content.clone();
    }

    /** A file that is not executable. */
    public static ArtifactFile regular(byte[] content) {
        return new ArtifactFile(content, false);
    }

    /** An executable file. */
    public static ArtifactFile executable(byte[] content) {
        return new ArtifactFile(content, true);
    }

    /** Regular files of the given contents, in the same order. */
    public static Map<String, ArtifactFile> regularFiles(Map<String, byte[]> contents) {
        Map<String, ArtifactFile> out = new LinkedHashMap<>();
        contents.forEach((path, bytes) -> out.put(path, regular(bytes)));
        return Collections.unmodifiableMap(out);
    }

    /**
     * The file of a recorded mode: executable when the owner may execute it ({@code 0755}, {@code 0700}); regular
     * when {@code mode} is {@code null} (not recorded) or not octal.
     */
    public static ArtifactFile withMode(byte[] content, String mode) {
        boolean executable = false;
        if (mode != null) {
            try {
                executable = (Integer.parseInt(mode, 8) & 0100) != 0;
            } catch (NumberFormatException e) {
                executable = false; // an unreadable mode records nothing: a regular file
            }
        }
        return new ArtifactFile(content, executable);
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    /** {@code 0755} or {@code 0644}. */
    public String mode() {
        return executable ? EXECUTABLE_MODE : REGULAR_MODE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArtifactFile other
                && executable == other.executable
                && Arrays.equals(content, other.content);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(content) + Boolean.hashCode(executable);
    }

    @Override
    public String toString() {
        return "ArtifactFile[" + content.length + " bytes, " + mode() + "]";
    }
}
