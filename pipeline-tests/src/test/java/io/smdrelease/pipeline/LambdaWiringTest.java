package io.smdrelease.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.cdk.PipelineConfig;
import io.smdrelease.cdk.ReleasePipelineApp;
import io.smdrelease.lambda.GenerateHandler;
import io.smdrelease.lambda.PipelineSettings;
import io.smdrelease.testsupport.Trees;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/**
 * The names the CDK stack and the functions share, checked on both sides without making cdk/ depend on functions/:
 * each function's handler (a class of the functions jar the Lambda runtime can load and call) and its environment
 * variables, per function: the stack sets exactly what that function's handler reads ({@link #READS}, which the
 * handlers' sources are checked against), and every handler of io.smdrelease.lambda has its function.
 */
class LambdaWiringTest {
    /** Every Lambda function of the stack: logical id → (handler, environment variable names). */
    private static final Map<String, Function> FUNCTIONS = new TreeMap<>();

    /** The store every handler opens with PipelineSettings.fromEnvironment(): the bucket and its optional prefix. */
    private static final List<String> STORE =
            List.of(PipelineSettings.ARTIFACT_BUCKET, PipelineSettings.ARTIFACT_STORE_PREFIX);

    /**
     * What each handler reads from its environment (docs/contract.md). {@link #reads_areWhatTheHandlersSourcesRead}
     * keeps this table true to the code; the other tests hold the stack to it.
     */
    static final Map<String, Set<String>> READS = Map.of(
            "GenerateHandler",
            with(STORE, PipelineSettings.STAGING_REPOSITORY, "CPU_BUILD_PROJECT", "GPU_BUILD_PROJECT"),
            "GatesHandler",
            with(
                    STORE,
                    PipelineSettings.STAGING_REPOSITORY,
                    PipelineSettings.REPODATA_URLS,
                    PipelineSettings.SIGNING_PROFILE),
            "RequestApprovalHandler",
            with(STORE, PipelineSettings.APPROVAL_TOPIC_ARN),
            "PromoteHandler",
            with(STORE, PipelineSettings.SIGNING_CERTIFICATE_ARN),
            "FinalizeHandler",
            with(STORE),
            "FailureHandler",
            with(STORE),
            "NightlyPlanHandler",
            with(STORE, PipelineSettings.NIGHTLY_TARGET_ECR_REPOS));

    private static Set<String> with(List<String> base, String... more) {
        Set<String> out = new TreeSet<>(base);
        out.addAll(List.of(more));
        return out;
    }

    record Function(String handler, Set<String> variables) {}

    private static final Path LAMBDA_SOURCES = Trees.repoDir().resolve("functions/src/main/java/io/smdrelease/lambda");

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void synthesize(@TempDir Path dir) throws IOException {
        // the template does not depend on the jar's content; a stand-in keeps this test independent of mvn package
        Path jar = dir.resolve("functions.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.finish();
        }
        // every optional variable set: a store prefix and nightly repositories (the created ones)
        Map<String, Object> context = new HashMap<>();
        context.put(PipelineConfig.FUNCTIONS_JAR, jar.toString());
        context.put(PipelineConfig.CREATE_ECR_REPOSITORIES, true);
        context.put(PipelineConfig.ARTIFACT_STORE_PREFIX, "smd/");
        context.put(PipelineConfig.SIGNING_PROFILE, "smd_release_wiring");
        context.put(
                PipelineConfig.SIGNING_CERTIFICATE_ARN,
                "arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0");
        PipelineConfig config =
                PipelineConfig.fromContext(context::get, Trees.repoDir().resolve("cdk"));
        Template template = Template.fromStack(ReleasePipelineApp.createStack(new App(), config));
        template.findResources("AWS::Lambda::Function").forEach((id, resource) -> {
            Map<String, Object> properties = (Map<String, Object>) resource.get("Properties");
            Map<String, Object> environment = (Map<String, Object>) properties.get("Environment");
            Set<String> variables = environment == null
                    ? Set.of()
                    : new TreeSet<>(((Map<String, Object>) environment.get("Variables")).keySet());
            FUNCTIONS.put(id, new Function((String) properties.get("Handler"), variables));
        });
        assertEquals(READS.size(), FUNCTIONS.size(), "one function per handler: " + FUNCTIONS.keySet());
    }

    private static String simpleName(Function function) {
        String type = function.handler().split("::")[0];
        return type.substring(type.lastIndexOf('.') + 1);
    }

    /** Per function: the stack sets exactly what its handler reads (the context sets every optional variable). */
    @Test
    void everyFunction_getsExactlyTheVariablesItsHandlerReads() {
        Map<String, Set<String>> set = new TreeMap<>();
        FUNCTIONS.values().forEach(function -> set.put(simpleName(function), function.variables()));
        assertEquals(new TreeMap<>(READS), set);
    }

    /** Every handler class of io.smdrelease.lambda runs as a function of the stack. */
    @Test
    void everyHandlerOfTheFunctions_hasAFunction() throws IOException {
        try (Stream<Path> files = Files.list(LAMBDA_SOURCES)) {
            List<String> handlers = files.map(f -> f.getFileName().toString())
                    .filter(name -> name.endsWith("Handler.java"))
                    .map(name -> name.substring(0, name.length() - ".java".length()))
                    .sorted()
                    .toList();
            assertEquals(new TreeSet<>(READS.keySet()).stream().toList(), handlers);
        }
    }

    /**
     * The table above against each handler's source: the store variables where it calls
     * PipelineSettings.fromEnvironment(), STAGING_REPOSITORY where it asks for stagingRepository(), the build projects
     * where it asks for buildProject, and every other variable exactly where it names its PipelineSettings constant.
     */
    @Test
    void reads_areWhatTheHandlersSourcesRead() throws IOException {
        for (var entry : READS.entrySet()) {
            String source = Files.readString(LAMBDA_SOURCES.resolve(entry.getKey() + ".java"));
            Set<String> evidenced = new TreeSet<>();
            if (source.contains("PipelineSettings.fromEnvironment()")) {
                evidenced.addAll(STORE);
            }
            if (source.contains(".stagingRepository()")) {
                evidenced.add(PipelineSettings.STAGING_REPOSITORY);
            }
            if (source.contains("::buildProject") || source.contains(".buildProject(")) {
                ImageConfigs.builtIn()
                        .imageTypes()
                        .forEach(t -> evidenced.add(PipelineSettings.buildProjectVariable(t)));
            }
            for (String variable : PipelineSettings.VARIABLES) {
                if (source.contains("PipelineSettings." + variable + ")")
                        || source.contains("PipelineSettings." + variable + ",")) {
                    evidenced.add(variable);
                }
            }
            assertEquals(entry.getValue(), evidenced, entry.getKey());
        }
    }

    /** What the Lambda Java runtime needs: the class, a public no-argument constructor, the interface's method. */
    @Test
    void everyHandler_isAClassOfTheFunctionsThatTheLambdaRuntimeCanCall() throws Exception {
        for (var entry : FUNCTIONS.entrySet()) {
            String handler = entry.getValue().handler();
            String[] parts = handler.split("::");
            assertEquals(2, parts.length, entry.getKey() + ": handler is class::method, not " + handler);
            Class<?> type;
            try {
                type = Class.forName(parts[0], false, getClass().getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new AssertionError(entry.getKey() + ": the stack names " + parts[0] + ", not in functions/", e);
            }
            assertTrue(
                    RequestStreamHandler.class.isAssignableFrom(type) || RequestHandler.class.isAssignableFrom(type),
                    handler + " implements RequestStreamHandler or RequestHandler");
            assertTrue(
                    Modifier.isPublic(type.getConstructor().getModifiers()), handler + ": public no-arg constructor");
            List<Method> methods = Stream.of(type.getMethods())
                    .filter(m -> m.getName().equals(parts[1]) && !m.isSynthetic())
                    .toList();
            assertFalse(methods.isEmpty(), handler + ": no public method " + parts[1]);
        }
    }

    @Test
    void everyVariableTheStackSets_isOneTheHandlersRead() {
        Set<String> known = new TreeSet<>(PipelineSettings.VARIABLES);
        ImageConfigs.builtIn().imageTypes().forEach(type -> known.add(PipelineSettings.buildProjectVariable(type)));
        List<String> unknown = new ArrayList<>();
        FUNCTIONS.forEach((id, function) -> function.variables().stream()
                .filter(variable -> !known.contains(variable))
                .forEach(variable -> unknown.add(id + ": " + variable)));
        assertEquals(List.of(), unknown, "set by the stack, read by no handler (PipelineSettings)");
    }

    @Test
    void everyVariableTheHandlersRead_isSetByTheStack() {
        Set<String> set = new TreeSet<>();
        FUNCTIONS.values().forEach(function -> set.addAll(function.variables()));
        List<String> missing = PipelineSettings.VARIABLES.stream()
                .filter(variable -> !set.contains(variable))
                .toList();
        assertEquals(List.of(), missing, "read by the handlers, set on no function: " + set);
        FUNCTIONS.forEach((id, function) -> assertTrue(
                function.variables().contains(PipelineSettings.ARTIFACT_BUCKET),
                id + " sets " + PipelineSettings.ARTIFACT_BUCKET + ", which every handler needs"));
    }

    /** Generate plans one CodeBuild build per image type; it must know the project of every type there is. */
    @Test
    void generate_knowsTheBuildProjectOfEveryImageType() {
        List<Function> generate = FUNCTIONS.values().stream()
                .filter(f -> f.handler().startsWith(GenerateHandler.class.getName() + "::"))
                .toList();
        assertEquals(1, generate.size(), FUNCTIONS.toString());
        for (String type : ImageConfigs.builtIn().imageTypes()) {
            assertTrue(
                    generate.get(0).variables().contains(PipelineSettings.buildProjectVariable(type)),
                    "Generate lacks " + PipelineSettings.buildProjectVariable(type) + ": " + generate.get(0));
        }
    }

    /** The handlers read their environment through PipelineSettings' names, so VARIABLES is what they read. */
    @Test
    void handlers_readTheEnvironmentOnlyByPipelineSettingsNames() throws IOException {
        Path lambda = LAMBDA_SOURCES;
        List<String> literal = new ArrayList<>();
        try (Stream<Path> files = Files.list(lambda)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).matches(".*(getenv|env\\.get|env\\.getOrDefault)\\(\".*")) {
                        literal.add(file.getFileName() + ":" + (i + 1) + ": "
                                + lines.get(i).strip());
                    }
                }
            }
        }
        assertEquals(List.of(), literal, "name the variable by a PipelineSettings constant");
    }
}
