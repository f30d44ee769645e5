package io.smdrelease.testsupport;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** File-tree helpers for tests: copies, snapshots, the shared fixtures and running the CLI. */
public final class Trees {
    private Trees() {}

    /** The repository root (surefire sets {@code repo.dir}). */
    public static Path repoDir() {
        return Paths.get(System.getProperty("repo.dir", "..")).toAbsolutePath().normalize();
    }

    /** ../shared beside the repository, or {@code null} when it is not there. */
    public static Path sharedDir() {
        Path shared = Paths.get(System.getProperty("shared.dir", "../../shared"))
                .toAbsolutePath()
                .normalize();
        return Files.isDirectory(shared.resolve("fixtures")) ? shared : null;
    }

    /**
     * The case directories (each with a case.json) of ../shared/fixtures/{@code area}, sorted; skips the calling test
     * with a message when ../shared is not here.
     */
    public static List<Path> sharedCases(String area) {
        Path shared = sharedDir();
        org.junit.jupiter.api.Assumptions.assumeTrue(
                shared != null,
                "../shared/fixtures is not here (system property shared.dir = " + System.getProperty("shared.dir")
                        + "): golden tests over fixtures/" + area + " skipped");
        try (Stream<Path> list = Files.list(shared.resolve("fixtures").resolve(area))) {
            return list.filter(p -> Files.isRegularFile(p.resolve("case.json")))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path examples() {
        return repoDir().resolve("examples/sample-distribution");
    }

    public static void copy(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file and directory below {@code root} with a SHA-256 of each file's content. */
    public static Map<String, String> snapshot(Path root) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String rel = root.relativize(p).toString();
                out.put(rel, Files.isDirectory(p) ? "dir" : sha256(Files.readAllBytes(p)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The outcome of one CLI run. */
    public record CliResult(int exitCode, String out, String err) {}

    public static CliResult runCli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = io.smdrelease.cli.Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliResult(code, out.toString(), err.toString());
    }
}
