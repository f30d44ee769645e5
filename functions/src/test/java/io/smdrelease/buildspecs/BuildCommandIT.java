package io.smdrelease.buildspecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.oci.OciRegistryClient;
import io.smdrelease.oci.RegistryCredentials;
import io.smdrelease.oci.RetryPolicy;
import io.smdrelease.signing.LocalTrust;
import io.smdrelease.signing.NotationSignatures;
import io.smdrelease.signing.Pem;
import io.smdrelease.testsupport.LocalRegistry;
import io.smdrelease.testsupport.TestCertificates;
import io.smdrelease.testsupport.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's {@code build} on a local tree, in the pipeline's phases: the CodeBuild scripts for gpu and cpu with buildah
 * (candidates pushed to a staging repository), the gates, the promotion of the tested digests to two release
 * repositories, then CHANGELOG-<type>.md, RELEASE.md and release.json. Run as the shaded jar in its own process, like
 * a user would.
 */
class BuildCommandIT {
    private static final String DIR = "build_artifacts/v1/v1.2/v1.2.1";

    @TempDir
    static Path shared;

    @TempDir
    Path root;

    private static LocalRegistry registry;

    @BeforeAll
    static void startRegistry() throws Exception {
        BuildScripts.requireBuildTools();
        LocalRegistry.assumeInstalled();
        registry = LocalRegistry.start(shared.resolve("registry"));
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    /**
     * examples/ with 1.2.1 created by the CLI, its Dockerfile swapped for the stand-in image's, and the real harness
     * of SageMaker Distribution in test/ (no manifest of any kind).
     */
    private void prepareTree(boolean withFailingTest) throws Exception {
        Trees.copy(Trees.examples(), root);
        assertEquals(
                0,
                Trees.runCli(
                                "create-patch-version-artifacts",
                                "--base-patch-version",
                                "1.2.0",
                                "--root",
                                root.toString())
                        .exitCode());
        Path standIn = BuildScripts.versionDir(shared.resolve("stand-in-" + System.nanoTime()));
        for (String file : List.of(
                "Dockerfile",
                "micromamba",
                "solved.explicit",
                "solved-gpu.explicit",
                "busybox",
                "entrypoint-jupyter-server")) {
            Files.copy(
                    standIn.resolve(file),
                    root.resolve(DIR).resolve(file),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.COPY_ATTRIBUTES);
        }
        // the repository's own test/ folder, as in SageMaker Distribution: the harness and test_artifacts/v1
        BuildScripts.distributionTests(root.resolve("test"), 1, withFailingTest);
    }

    private BuildScripts.Result cli(Path storage, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Dsmd.home=" + Trees.repoDir(),
                "-jar",
                System.getProperty("smd.jar")));
        command.addAll(List.of(args));
        return BuildScripts.run(
                shared,
                Map.of(
                        "CONTAINER_ENGINE",
                        "buildah",
                        "BUILDAH_ROOT",
                        storage.resolve("root").toString(),
                        "BUILDAH_RUNROOT",
                        storage.resolve("run").toString(),
                        "PUSH_RETRY_TIMES",
                        "0"),
                command);
    }

    @Test
    void buildsBothCandidates_gatesThem_promotesTheTestedDigests_andWritesReleaseJsonLast() throws Exception {
        prepareTree(false);
        String staging = registry.repository("smd/staging");
        List<String> releases =
                List.of(registry.repository("smd/sagemaker-distribution"), registry.repository("smd/mirror"));

        TestCertificates.Issued signer = TestCertificates.rootCa(
                        Files.createDirectories(shared.resolve("certificates")), "Laptop Root")
                .leaf("laptop-signer", TestCertificates.P256, true, 1);
        var run = cli(
                shared.resolve("storage-ok"),
                "build",
                "--target-patch-version",
                "1.2.1",
                "--root",
                root.toString(),
                "--staging-repo",
                staging,
                "--target-ecr-repo",
                releases.get(0),
                "--target-ecr-repo",
                releases.get(1),
                // the stand-in cpu image lacks three packages of the 1.2.0 base: a patch needs them named
                "--allow-regression",
                "tzdata",
                "--allow-regression",
                "scikit-learn",
                "--allow-regression",
                "pip",
                "--signing-key",
                signer.key().toString(),
                "--signing-certificate",
                signer.chain().toString(),
                "--work-dir",
                shared.resolve("work-ok").toString());

        assertEquals(0, run.exitCode(), run.output());
        for (String step : List.of("fetch", "build-image", "export-env", "run-tests", "push")) {
            assertTrue(run.output().contains("[gpu] " + step), "progress of " + step + ":\n" + run.output());
            assertTrue(run.output().contains("[cpu] " + step), run.output());
        }
        assertTrue(run.output().contains("gate PASSED  tests [cpu]: 2 passed, 51 skipped"), run.output());
        assertTrue(run.output().contains("gate PASSED  tests [gpu]: 3 passed, 56 skipped"), run.output());
        assertTrue(
                run.output()
                        .contains("gate PASSED  regression [cpu]: nothing removed, downgraded or newly vulnerable"
                                + " against 1.2.0 (3 allowed by allowRegressions)"),
                run.output());
        Path dir = root.resolve(DIR);
        JsonNode release =
                new ObjectMapper().readTree(dir.resolve("release.json").toFile());
        for (String type : List.of("cpu", "gpu")) {
            assertTrue(Trees.read(dir.resolve(type + ".env.out")).contains("@EXPLICIT"));
            JsonNode candidate = new ObjectMapper()
                    .readTree(dir.resolve("candidate-" + type + ".json").toFile());
            String digest = candidate.get("digest").asText();
            assertEquals(staging, candidate.get("repository").asText());
            assertEquals(
                    digest,
                    BuildScripts.remoteDigest(staging, candidate.get("tag").asText()));
            assertEquals(digest, release.at("/images/" + type + "/stagedDigest").asText());
            assertTrue(run.output().contains("signed   " + staging + "@" + digest), run.output());
            String signature =
                    release.at("/images/" + type + "/signature/manifest").asText();
            for (String repo : releases) {
                // the signature is beside the image in every repository, and verifies there
                var client = new OciRegistryClient(RegistryCredentials.ANONYMOUS, RetryPolicy.DEFAULT);
                NotationSignatures.verify(
                        client.readReferrer(repo, signature),
                        client.describe(repo, digest),
                        new LocalTrust(Pem.certificates(signer.root())),
                        Map.of(),
                        Instant.now());
            }
            for (String repo : releases) {
                for (String tag : List.of("1.2.1-", "1.2-", "1-", "latest-")) {
                    assertEquals(digest, BuildScripts.remoteDigest(repo, tag + type), repo + ":" + tag + type);
                }
            }
        }
        assertEquals("PASSED", release.at("/gates/0/status").asText(), release.toString());
        assertTrue(
                release.at("/gates/1/findings").toString().contains("allowed by allowRegressions: removed: tzdata"),
                "the regression gate's cpu result, allowed regressions recorded: " + release.at("/gates"));
        String changelog = Trees.read(dir.resolve("CHANGELOG-cpu.md"));
        assertTrue(
                changelog.startsWith("# Change log: 1.2.1 (cpu)\n\nThis page lists all package changes since the"
                        + " previous release (1.2.0)."),
                changelog);
        assertTrue(Trees.read(dir.resolve("RELEASE.md")).startsWith("# Release notes: 1.2.1\n\nPackage | gpu| cpu\n"));
    }

    @Test
    void aFailingImageTestStopsTheBuildWithExitCodeThree_andReleasesNothing() throws Exception {
        prepareTree(true);
        var run = cli(
                shared.resolve("storage-fail"),
                "build",
                "--target-patch-version",
                "1.2.1",
                "--root",
                root.toString(),
                "--work-dir",
                shared.resolve("work-fail").toString());
        assertEquals(3, run.exitCode(), run.output());
        assertTrue(run.output().contains("image test case(s) failed: pandas.test.Dockerfile"), run.output());
        assertTrue(run.output().contains("build failed: the gpu image's run-tests step failed"), run.output());
        assertFalse(Files.exists(root.resolve(DIR).resolve("CHANGELOG-cpu.md")));
        assertFalse(Files.exists(root.resolve(DIR).resolve("release.json")), "a failed build releases nothing");
    }

    @Test
    void skipTestsSkipsTheFailingTest() throws Exception {
        prepareTree(true);
        var run = cli(
                shared.resolve("storage-skip"),
                "build",
                "--target-patch-version",
                "1.2.1",
                "--skip-tests",
                "--image-type",
                "cpu",
                "--allow-regression",
                "tzdata",
                "--allow-regression",
                "scikit-learn",
                "--allow-regression",
                "pip",
                "--root",
                root.toString(),
                "--work-dir",
                shared.resolve("work-skip").toString());
        assertEquals(0, run.exitCode(), run.output());
        assertFalse(run.output().contains("running case"), run.output());
        assertTrue(run.output().contains("gate WAIVED  tests [cpu]: skipTests: true waived"), run.output());
        assertTrue(run.output().contains("Built only [cpu]: candidates gated, not released"), run.output());
        assertFalse(Files.exists(root.resolve(DIR).resolve("release.json")));
        assertTrue(Files.exists(root.resolve(DIR).resolve("cpu.env.out")));
        JsonNode tested = new ObjectMapper()
                .readTree(root.resolve(DIR).resolve("test-report-cpu.json").toFile());
        assertTrue(tested.get("skipTests").asBoolean(), tested.toString());
    }
}
