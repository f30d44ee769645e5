package io.smdrelease.testsupport;

import io.smdrelease.conda.ExplicitPackage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The real 4.4.0 locks of ../shared/fixtures/locks (a gpu env.out with CUDA builds and its cpu sibling), and
 * variants derived from them by swapping one package's line for the other image's line of the same package.
 */
public final class Locks {
    private Locks() {}

    /** ../shared/fixtures/locks/4.4.0; skips the calling test with a message when ../shared is not here. */
    public static Path dir() {
        Path shared = Trees.sharedDir();
        org.junit.jupiter.api.Assumptions.assumeTrue(
                shared != null, "../shared/fixtures is not here: tests over fixtures/locks skipped");
        return shared.resolve("fixtures/locks/4.4.0");
    }

    public static String read(String imageType) {
        try {
            return Files.readString(dir().resolve(imageType + ".env.out"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The line of package {@code name} (exact name, from its URL's file name). */
    public static String line(String envOut, String name) {
        List<String> lines = envOut.lines()
                .filter(l -> l.startsWith("https://")
                        && ExplicitPackage.parse(l).name().equals(name))
                .toList();
        if (lines.size() != 1) {
            throw new IllegalArgumentException("expected one line of " + name + ", found " + lines);
        }
        return lines.getFirst();
    }

    /** {@code envOut} with package {@code name}'s line replaced by that package's line in {@code donor}. */
    public static byte[] swap(String envOut, String donor, String name) {
        String own = line(envOut, name);
        String other = line(donor, name);
        if (own.equals(other)) {
            throw new IllegalArgumentException(name + " has the same line in both locks: nothing to swap");
        }
        return envOut.lines()
                .map(l -> l.equals(own) ? other : l)
                .collect(Collectors.joining("\n", "", "\n"))
                .getBytes(StandardCharsets.UTF_8);
    }
}
