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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ECR path of push.sh against MiniStack's ECR: the registry logs in with {@code aws ecr get-login-password}
 * (MiniStack's registry API answers on its gateway, named an ECR registry through ECR_REGISTRY_HOSTS), the candidate
 * lands in the staging repository, and {@code aws ecr describe-images} lists its tag with the digest of
 * candidate-cpu.json; the release repository stays empty.
 */
class EcrPushIT {

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
    void logsInWithAnEcrToken_pushesTheCandidateToStagingOnly_describeImagesListsIt() throws Exception {
        for (String name : List.of("staging/sagemaker-distribution", "sagemaker-distribution")) {
            var created = BuildScripts.run(
                    shared, aws, List.of("aws", "ecr", "create-repository", "--repository-name", name));
            assertEquals(0, created.exitCode(), created.output());
        }

        Path version = BuildScripts.versionDir(shared.resolve("artifacts/version"));
        Path tests = BuildScripts.testDir(shared.resolve("artifacts/test"));
        Map<String, String> env =
                new HashMap<>(BuildScripts.localEnv(shared.resolve("storage"), shared.resolve("work"), version, tests));
        env.putAll(aws);
        String host = "127.0.0.1:" + ministack.port();
        String repo = host + "/staging/sagemaker-distribution";
        env.put("STAGING_REPO", repo);
        env.put("TARGET_ECR_REPOS", host + "/sagemaker-distribution");
        env.put("ECR_REGISTRY_HOSTS", host + "=" + ministack.region().id());
        // credentials of this test only, not the machine's
        env.put(
                "REGISTRY_AUTH_FILE",
                java.nio.file.Files.writeString(shared.resolve("auth.json"), "{}")
                        .toString());

        var run = BuildScripts.runScripts(shared, env, "fetch.sh", "build-image.sh", "push.sh");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("logged in to " + host), run.output());

        JsonNode candidate = new ObjectMapper()
                .readTree(version.resolve("candidate-cpu.json").toFile());
        assertEquals(repo, candidate.get("repository").asText(), candidate.toString());
        String digest = candidate.get("digest").asText();

        assertEquals(Map.of(digest, List.of(BuildScripts.CANDIDATE_TAG)), images("staging/sagemaker-distribution"));
        assertEquals(Map.of(), images("sagemaker-distribution"), "the release repository is Promote's");
    }

    /** Digest to tags of an ECR repository, from {@code aws ecr describe-images}. */
    private static Map<String, List<String>> images(String repository) throws Exception {
        var described = BuildScripts.run(
                shared,
                aws,
                List.of("aws", "ecr", "describe-images", "--repository-name", repository, "--output", "json"));
        assertEquals(0, described.exitCode(), described.output());
        Map<String, List<String>> images = new java.util.TreeMap<>();
        for (JsonNode image : new ObjectMapper().readTree(described.output()).get("imageDetails")) {
            List<String> tags = new java.util.ArrayList<>();
            image.path("imageTags").forEach(t -> tags.add(t.asText()));
            images.put(image.get("imageDigest").asText(), tags);
        }
        return images;
    }
}
