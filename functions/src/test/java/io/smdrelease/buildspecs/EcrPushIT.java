package io.smdrelease.buildspecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.testsupport.LocalRegistry;
import io.smdrelease.testsupport.MiniStack;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ECR path of push.sh against MiniStack's ECR: the registry logs in with {@code aws ecr get-login-password}
 * (MiniStack's registry API answers on its gateway, named an ECR registry through ECR_REGISTRY_HOSTS), the push lands,
 * and {@code aws ecr describe-images} lists every tag with the digest of the push report.
 */
class EcrPushIT {
    private static final List<String> TAGS = List.of("4.4.1-cpu", "4.4-cpu", "4-cpu", "latest-cpu");

    @TempDir
    static Path shared;

    private static MiniStack ministack;
    private static Map<String, String> aws;

    @BeforeAll
    static void start() {
        BuildScripts.requireBuildTools();
        LocalRegistry.requireTools("aws");
        ministack = MiniStack.start();
        aws = Map.of(
                "AWS_ENDPOINT_URL", ministack.endpoint().toString(),
                "AWS_ACCESS_KEY_ID", MiniStack.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", MiniStack.SECRET_KEY,
                "AWS_DEFAULT_REGION", ministack.region().id(),
                "AWS_REGION", ministack.region().id());
    }

    @AfterAll
    static void stop() {
        if (ministack != null) {
            ministack.close();
        }
    }

    @Test
    void logsInWithAnEcrTokenPushesEveryTag_andDescribeImagesListsThem() throws Exception {
        var created = BuildScripts.run(
                shared, aws, List.of("aws", "ecr", "create-repository", "--repository-name", "sagemaker-distribution"));
        assertEquals(0, created.exitCode(), created.output());

        Path version = BuildScripts.versionDir(shared.resolve("artifacts/version"));
        Path tests = BuildScripts.testDir(shared.resolve("artifacts/test"));
        Map<String, String> env =
                new HashMap<>(BuildScripts.localEnv(shared.resolve("storage"), shared.resolve("work"), version, tests));
        env.putAll(aws);
        String host = "127.0.0.1:" + ministack.port();
        String repo = host + "/sagemaker-distribution";
        env.put("IMAGE_TAGS", String.join(" ", TAGS));
        env.put("TARGET_ECR_REPOS", repo);
        env.put("ECR_REGISTRY_HOSTS", host + "=" + ministack.region().id());
        // credentials of this test only, not the machine's
        env.put(
                "REGISTRY_AUTH_FILE",
                java.nio.file.Files.writeString(shared.resolve("auth.json"), "{}")
                        .toString());

        var run = BuildScripts.runScripts(shared, env, "fetch.sh", "build-image.sh", "push.sh");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("logged in to " + host), run.output());

        JsonNode report = new ObjectMapper()
                .readTree(version.resolve("push-report-cpu.json").toFile());
        JsonNode entry = report.at("/repositories").get(repo);
        assertEquals("pushed", entry.get("status").asText(), report.toString());
        String digest = entry.at("/tags/4.4.1-cpu").asText();

        var described = BuildScripts.run(
                shared,
                aws,
                List.of(
                        "aws",
                        "ecr",
                        "describe-images",
                        "--repository-name",
                        "sagemaker-distribution",
                        "--output",
                        "json"));
        assertEquals(0, described.exitCode(), described.output());
        JsonNode images = new ObjectMapper().readTree(described.output()).get("imageDetails");
        TreeSet<String> tags = new TreeSet<>();
        for (JsonNode image : images) {
            if (image.get("imageDigest").asText().equals(digest)) {
                image.get("imageTags").forEach(t -> tags.add(t.asText()));
            }
        }
        assertEquals(new TreeSet<>(TAGS), tags, described.output());
    }
}
