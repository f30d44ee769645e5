package io.smdrelease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.testsupport.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The core stays plain Java: no AWS SDK, Lambda, picocli or CDK types outside the adapters. */
class ArchitectureTest {
    private static final List<String> EDGE_IMPORTS =
            List.of("software.amazon.", "com.amazonaws.", "picocli.", "software.constructs.");
    /** Packages that are adapters: they may use the edge libraries. */
    private static final Set<String> ADAPTERS = Set.of("cli", "lambda", "ecr", "aws", "oci");

    @Test
    void corePackagesImportNoEdgeLibrary() throws IOException {
        Path sources = Trees.repoDir().resolve("functions/src/main/java/io/smdrelease");
        List<String> violations = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String pkg = sources.relativize(file).getName(0).toString();
                String name = file.getFileName().toString();
                if (ADAPTERS.contains(pkg) || name.startsWith("S3")) {
                    continue; // an adapter, or the S3 implementation of the store
                }
                checked++;
                for (String line : Files.readAllLines(file)) {
                    if (line.startsWith("import ") && EDGE_IMPORTS.stream().anyMatch(line::contains)) {
                        violations.add(sources.relativize(file) + ": " + line);
                    }
                }
            }
        }
        assertTrue(checked > 10, "the scan found the core sources");
        assertEquals(List.of(), violations);
    }
}
