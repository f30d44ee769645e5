package io.smdrelease.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The sample distribution with what issue 13 is about: executable files in the template's {@code dirs/} and in the
 * assets, and an empty directory in {@code dirs/}, as a checkout of SageMaker Distribution has them.
 */
public final class ModesFixture {
    /** An entrypoint of the template, 0755. */
    public static final String ENTRYPOINT = "template/v1/v1.2/dirs/usr/local/bin/entrypoint-jupyter-server";
    /** A script of the template's dirs/, 0755. */
    public static final String SCRIPT = "template/v1/v1.2/dirs/etc/sagemaker-inference-server/serve";
    /** An executable asset, copied into every version. */
    public static final String ASSET = "assets/download_amazon_q_agentic_chat_artifacts.sh";
    /** An empty directory of the template's dirs/. */
    public static final String EMPTY_DIR = "template/v1/v1.2/dirs/var/log/jupyter";

    private ModesFixture() {}

    /** Copies the sample distribution to {@code root} and adds the executables and the empty directory. */
    public static Path create(Path root) {
        Trees.copy(Trees.examples(), root);
        executable(root.resolve(ENTRYPOINT), "#!/bin/bash\nexec jupyter server \"$@\"\n");
        executable(root.resolve(SCRIPT), "#!/bin/bash\nexec python -m serve\n");
        executable(root.resolve(ASSET), "#!/bin/bash\necho download\n");
        try {
            Files.createDirectories(root.resolve(EMPTY_DIR));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }

    private static void executable(Path file, String content) {
        Trees.write(file, content);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Everything below {@code dir}: a file as {@code 0755} when its owner may execute it, else {@code 0644} (git's
     * two modes), a directory as {@code dir}. What must be equal wherever a version travels.
     */
    public static Map<String, String> modes(Path dir) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.equals(dir)) {
                    continue;
                }
                String rel = dir.relativize(p).toString();
                if (Files.isDirectory(p)) {
                    out.put(rel, "dir");
                } else {
                    boolean x = Files.getPosixFilePermissions(p)
                            .contains(java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
                    out.put(rel, x ? "0755" : "0644");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
