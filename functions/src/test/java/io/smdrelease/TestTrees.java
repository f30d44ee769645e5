package io.smdrelease;

import io.smdrelease.store.ArtifactStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

/** Test fixtures: resource trees, copies of them, and a store that reports some directories incomplete. */
public final class TestTrees {
    private TestTrees() {}

    /** The directory of a test resource, e.g. {@code tags/repo}. */
    public static Path resource(String name) {
        URL url = TestTrees.class.getResource("/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no test resource " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Copies a directory tree into {@code target} (created if needed) and returns {@code target}. */
    public static Path copy(Path source, Path target) {
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path dest = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.createDirectories(dest.getParent());
                    Files.copy(p, dest);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /**
     * A store that behaves like {@code delegate} except that the given version directories are incomplete, like a
     * bucket prefix without its manifest.
     */
    public static ArtifactStore withIncomplete(ArtifactStore delegate, Set<String> incompleteDirs) {
        return (ArtifactStore) Proxy.newProxyInstance(
                ArtifactStore.class.getClassLoader(), new Class<?>[] {ArtifactStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("isComplete") && incompleteDirs.contains((String) args[0])) {
                        return false;
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
