package io.smdrelease.cdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/** Builds the stack the way the app does, with a stand-in Lambda jar so the tests do not depend on mvn package. */
final class TestStacks {
    private static Path jar;

    private TestStacks() {}

    /** A small jar standing in for functions/target/smd-release.jar (the template does not depend on its content). */
    static synchronized Path jar() {
        if (jar == null) {
            try {
                jar = Files.createTempFile("smd-release-test", ".jar");
                jar.toFile().deleteOnExit();
                try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
                    out.putNextEntry(new ZipEntry("io/smdrelease/lambda/README.txt"));
                    out.write("stand-in for the handlers".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    out.closeEntry();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return jar;
    }

    /** The context of cdk.json plus {@code overrides}, with the stand-in jar. */
    static PipelineConfig config(Map<String, Object> overrides) {
        Map<String, Object> context = new HashMap<>();
        context.put(PipelineConfig.CREATE_ECR_REPOSITORIES, true);
        context.put(PipelineConfig.FUNCTIONS_JAR, jar().toString());
        context.putAll(overrides);
        return PipelineConfig.fromContext(context::get, Path.of(""));
    }

    static ReleasePipelineStack stack(Map<String, Object> overrides) {
        return ReleasePipelineApp.createStack(new App(), config(overrides));
    }

    static Template template(Map<String, Object> overrides) {
        return Template.fromStack(stack(overrides));
    }
}
