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
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The core stays plain Java: outside the adapter packages no source names an AWS SDK, Lambda, picocli or CDK type,
 * nor a type of an adapter package. Decided by package (the first segment below {@code io.smdrelease}), never by file
 * name.
 */
class ArchitectureTest {
    /** Adapter packages, with their sub-packages: they may use the edge libraries. */
    private static final Set<String> ADAPTERS = Set.of("cli", "lambda", "aws", "oci");

    /** An import, or a fully qualified name in code, of an edge library or of an adapter package. */
    private static final Pattern FORBIDDEN = Pattern.compile(
            "\\b(software\\.amazon\\.|com\\.amazonaws\\.|picocli\\.|software\\.constructs\\.|io\\.smdrelease\\.(cli|lambda|aws|oci)\\.)");

    @Test
    void corePackagesNameNoEdgeLibraryNorAdapter() throws IOException {
        Path sources = Trees.repoDir().resolve("functions/src/main/java/io/smdrelease");
        List<String> violations = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                Path relative = sources.relativize(file);
                if (relative.getNameCount() > 1
                        && ADAPTERS.contains(relative.getName(0).toString())) {
                    continue; // an adapter package or one of its sub-packages
                }
                checked++;
                violations.addAll(violationsIn(file, relative));
            }
        }
        assertTrue(checked > 10, "the scan found the core sources");
        assertEquals(List.of(), violations);
    }

    @Test
    void theScanSeesImportsAndQualifiedNamesButNotComments() throws IOException {
        Path file = Files.createTempFile("Core", ".java");
        try {
            Files.writeString(
                    file,
                    String.join(
                            "\n",
                            "package io.smdrelease.store;",
                            "import software.amazon.awssdk.services.s3.S3Client;",
                            "import static io.smdrelease.aws.s3.S3Stores.open;",
                            "/** Not {@link io.smdrelease.cli.Main}. */",
                            "// nor software.amazon.awssdk",
                            "class Core { Object o = new io.smdrelease.lambda.PipelineSettings(null, null, null); }"));
            assertEquals(3, violationsIn(file, file.getFileName()).size());
        } finally {
            Files.delete(file);
        }
    }

    private static List<String> violationsIn(Path file, Path relative) throws IOException {
        List<String> violations = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String code = line.strip();
            if (code.startsWith("*") || code.startsWith("//") || code.startsWith("/*")) {
                continue; // a comment may name an adapter
            }
            if (FORBIDDEN.matcher(code).find()) {
                violations.add(relative + ": " + code);
            }
        }
        return violations;
    }
}
