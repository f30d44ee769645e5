package io.smdrelease.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stage;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** Builds the stack the way the app does, with a stand-in Lambda jar so the tests do not depend on mvn package. */
final class TestStacks {
    private static Path jar;

    private TestStacks() {}

    /** The signing keys every deployment needs (what smd-release signing-setup prints), as a test's context sets them. */
    static final String SIGNING_PROFILE = "smd_release_test";

    static final String SIGNING_CERTIFICATE_ARN =
            "arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
    static final Map<String, Object> SIGNING_CONTEXT = Map.of(
            PipelineConfig.SIGNING_PROFILE, SIGNING_PROFILE,
            PipelineConfig.SIGNING_CERTIFICATE_ARN, SIGNING_CERTIFICATE_ARN);

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

    /** The context of cdk.json and the signing keys plus {@code overrides}, with the stand-in jar. */
    static PipelineConfig config(Map<String, Object> overrides) {
        Map<String, Object> context = new HashMap<>(SIGNING_CONTEXT);
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

    static Synthesized synthesize(Map<String, Object> overrides) {
        ReleasePipelineStack stack = stack(overrides);
        return new Synthesized(stack, Template.fromStack(stack));
    }

    /** Every action on every resource the function's role allows, as "action on resource". */
    /** The logical id of the one resource of {@code type} whose id matches {@code idPattern}. */
    static String only(Template template, String type, String idPattern) {
        List<String> ids = template.findResources(type).keySet().stream()
                .filter(id -> id.matches(idPattern))
                .toList();
        assertEquals(1, ids.size(), type + " " + idPattern + ": " + ids);
        return ids.get(0);
    }

    static Set<String> grants(Template template, String function, Predicate<String> filter) {
        Map<String, Map<String, Object>> policies = template.findResources(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "Properties",
                        Match.objectLike(
                                Map.of("PolicyName", Match.stringLikeRegexp("^Functions" + function + "Role.*"))))));
        assertEquals(1, policies.size(), function);
        Set<String> grants = new TreeSet<>();
        for (Map<String, Object> statement :
                ReleasePipelineStackTest.statements(policies.values().iterator().next())) {
            assertEquals("Allow", statement.get("Effect"), statement.toString());
            Object resources = statement.get("Resource");
            List<?> each = resources instanceof List<?> list ? list : List.of(resources);
            for (String action : ReleasePipelineStackTest.strings(statement.get("Action"))) {
                each.forEach(resource -> grants.add(grant(action, resource)));
            }
        }
        return new TreeSet<>(grants.stream().filter(filter).toList());
    }

    static String grant(String action, Object resource) {
        return action + " on " + resource;
    }

    /** A synthesized stack: its template and the cloud assembly beside it, which holds the staged assets. */
    record Synthesized(ReleasePipelineStack stack, Template template) {
        /**
         * The definition of the state machine named {@code name} as {@code cdk deploy} uploads it: the file asset its
         * {@code DefinitionS3Location} points at, read from the cloud assembly ({@code asset.<key>}).
         */
        @SuppressWarnings("unchecked")
        String definition(String name) {
            Map<String, Map<String, Object>> machines = template.findResources(
                    "AWS::StepFunctions::StateMachine",
                    Match.objectLike(Map.of("Properties", Match.objectLike(Map.of("StateMachineName", name)))));
            if (machines.size() != 1) {
                throw new AssertionError("one state machine named " + name + ": " + machines.keySet());
            }
            Map<String, Object> properties =
                    (Map<String, Object>) machines.values().iterator().next().get("Properties");
            Map<String, Object> location = (Map<String, Object>) properties.get("DefinitionS3Location");
            if (location == null) {
                throw new AssertionError(name + " has no DefinitionS3Location: " + properties.keySet());
            }
            Path staged = Path.of(Stage.of(stack).getOutdir(), "asset." + location.get("Key"));
            try {
                return Files.readString(staged);
            } catch (IOException e) {
                throw new UncheckedIOException("the staged definition of " + name + " at " + staged, e);
            }
        }
    }
}
