package io.smdrelease.pipeline;

import static io.smdrelease.pipeline.DeployedPipeline.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smdrelease.artifacts.VersionCatalog;
import io.smdrelease.aws.signer.SignerTrust;
import io.smdrelease.nightly.NightlySchedule;
import io.smdrelease.pipeline.CandidateBuilds.Candidate;
import io.smdrelease.pipeline.Runs.Run;
import io.smdrelease.signing.NotationSignatures;
import io.smdrelease.testsupport.LambdaProxyServer.Invocation;
import io.smdrelease.testsupport.RegistryProxy;
import io.smdrelease.testsupport.TestImages;
import io.smdrelease.testsupport.Trees;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The two-phase release pipeline (docs/contract.md) deployed to MiniStack and executed ({@link DeployedPipeline}):
 * candidates built into the stack's staging repository, gated, optionally approved, and the exact gated digests
 * promoted by the real PromoteHandler to two release repositories (the stack's ECR repository, a docker-registry).
 * The executions build on each other's versions in one bucket: 1.2.1 (happy path), 1.2.2 (gpu build fails, then a
 * registry is down, then promoted), 1.2.3 (approved), 1.2.4 (rejected, timed out, gate failed, waived), 1.2.5 (nightly
 * candidates, then released through the size gate), 1.2.6 (failing the size gate).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReleasePipelineIT {
    private static final String ECR_RELEASE_NAME = "sagemaker-distribution";
    private static final String LOCAL_RELEASE_NAME = "team/smd";
    private static final List<String> TYPES = List.of("gpu", "cpu");

    @TempDir
    static Path work;

    private static DeployedPipeline p;
    private static String release;
    private static String repos;
    /** Version → image type → the released digest. */
    private static final Map<String, Map<String, String>> RELEASED = new TreeMap<>();

    @BeforeAll
    static void deploy() throws Exception {
        p = DeployedPipeline.start(work);
        release = p.outputs.get("StateMachineArn");
        repos = JSON.writeValueAsString(List.of(p.ecrRelease, p.localRelease));
    }

    @AfterAll
    static void stop() {
        if (p != null) {
            p.close();
        }
    }

    @BeforeEach
    void normalBuildsAndRegistries() {
        p.builds.reset();
        p.proxy.clearFaults();
    }

    /** CloudFormation read each definition from its S3 asset and filled every placeholder. */
    @Test
    @Order(0)
    void definitions_areTheAslFiles_withEveryPlaceholderFilled() throws Exception {
        for (var machine : Map.of(release, "release", p.outputs.get("NightlyStateMachineArn"), "nightly")
                .entrySet()) {
            String deployed = p.sfn.describeStateMachine(r -> r.stateMachineArn(machine.getKey()))
                    .definition();
            JsonNode file = JSON.readTree(Trees.repoDir()
                    .resolve("statemachine/" + machine.getValue() + ".asl.json")
                    .toFile());
            assertEquals(
                    fieldNames(file.get("States")),
                    fieldNames(JSON.readTree(deployed).get("States")));
            assertFalse(deployed.contains("${"), machine.getValue() + ": " + deployed);
        }
        String nightly = p.sfn.describeStateMachine(r -> r.stateMachineArn(p.outputs.get("NightlyStateMachineArn")))
                .definition();
        assertTrue(nightly.contains("States.Format('" + executionArnPrefix() + "{}', $.name)"), nightly);
        System.out.printf("[bench] deploy of the stack to MiniStack: %d ms%n", p.deployTime.toMillis());
    }

    @Test
    @Order(1)
    void happyPath_promotesTheTestedCandidateDigestsEverywhere_thenWritesReleaseJson() throws Exception {
        Run run = execute(
                "happy", "{\"releaseType\":\"patch\",\"basePatchVersion\":\"1.2.0\",\"targetEcrRepos\":" + repos + "}");
        assertEquals(ExecutionStatus.SUCCEEDED, run.status(), run.toString());
        assertFalse(run.states().contains("Wait for approval"), run.toString());
        String dir = "build_artifacts/v1/v1.2/v1.2.1";
        Map<String, Candidate> candidates = candidates("1.2.1");
        for (String type : TYPES) {
            Candidate candidate = candidates.get(type);
            JsonNode report = readJson(dir + "/test-report-" + type + ".json");
            assertEquals(candidate.imageId(), report.get("imageId").asText(), "the tested image is the candidate");
            assertEquals(candidate.digest(), stagingTags().get(candidate.tag()), "the candidate is in staging");
            for (String tag : List.of("1.2.1-", "1.2-", "1-", "latest-")) {
                assertEquals(candidate.digest(), ecrTags().get(tag + type), "ECR " + tag + type);
                assertEquals(candidate.digest(), localTags().get(tag + type), "docker-registry " + tag + type);
            }
        }

        JsonNode record = readJson(dir + "/release.json");
        assertEquals("1.2.1", record.get("version").asText());
        assertEquals("1.2.0", record.get("sourceVersion").asText());
        assertEquals(run.execution().executionArn(), record.get("execution").asText());
        for (String type : TYPES) {
            JsonNode image = record.at("/images/" + type);
            assertEquals(
                    candidates.get(type).digest(), image.get("stagedDigest").asText());
            assertEquals(p.staging, image.get("stagingRepository").asText());
            assertEquals(candidates.get(type).tag(), image.get("candidateTag").asText());
            assertEquals(
                    TestImages.sha256(
                                    p.bucket.read(dir + "/" + type + ".env.out").orElseThrow())
                            .substring("sha256:".length()),
                    image.get("envOutSha256").asText());
            for (String repo : List.of(p.ecrRelease, p.localRelease)) {
                assertEquals(
                        List.of("1.2.1-" + type, "1.2-" + type, "1-" + type, "latest-" + type),
                        strings(image.get("repositories").get(repo)));
            }
        }
        for (JsonNode gate : record.get("gates")) {
            assertEquals("PASSED", gate.get("status").asText(), gate.toString());
        }
        // the signature AWS Signer made and the SBOM are beside each image in both release repositories, and the
        // signature verifies there with the stack's certificate
        SignerTrust trust = new SignerTrust(p.signer, p.acm, p.signing.certificateArn());
        for (String type : TYPES) {
            JsonNode image = record.at("/images/" + type);
            String digest = candidates.get(type).digest();
            Map<String, String> provenance =
                    JSON.convertValue(image.at("/signature/provenance"), new TypeReference<Map<String, String>>() {});
            for (String repo : List.of(p.ecrRelease, p.localRelease)) {
                NotationSignatures.verify(
                        p.registryClient.readReferrer(
                                repo, image.at("/signature/manifest").asText()),
                        p.registryClient.describe(repo, digest),
                        trust,
                        provenance,
                        Instant.now());
                assertEquals(
                        digest,
                        p.registryClient
                                .readReferrer(repo, image.at("/sbom/manifest").asText())
                                .subject()
                                .digest());
            }
        }
        assertTrue(strings(record.get("documents")).contains(dir + "/CHANGELOG-cpu.md"), record.toString());
        assertEquals("1.2.1", run.output().get("targetVersion").asText());
        assertEquals(
                "s3://" + p.bucketName + "/" + dir + "/release.json",
                run.output().get("releaseJson").asText());
        assertEquals(
                Map.of("generate", 1, "gates", 1, "promote", 1, "finalize", 1, "approval", 0, "failure", 0),
                calls("happy"));
        remember("1.2.1", candidates);
        Duration took =
                Duration.between(run.execution().startDate(), run.execution().stopDate());
        System.out.printf(
                "[bench] happy path (2 candidates pushed, 2 x 2 repositories x 4 tags promoted): %d ms%n",
                took.toMillis());
    }

    @Test
    @Order(2)
    void aFailedGpuBuild_failsNamingTheStageAndGpu_andReleasesNothing() throws Exception {
        // one build after the other, so that the mock's first (failing) build is gpu's
        String serial = p.createVariant(
                DeployedPipeline.SERIAL_MACHINE,
                d -> ((ObjectNode) d.get("States").get("Build candidates")).put("MaxConcurrency", 1));
        p.builds.failing(Set.of("gpu"));
        Run run = Runs.execute(
                p.sfn,
                serial,
                "GpuBuildFails",
                "gpu-fails",
                "{\"releaseType\":\"patch\",\"basePatchVersion\":\"latest\",\"targetEcrRepos\":" + repos + "}");
        assertEquals(ExecutionStatus.FAILED, run.status(), run.toString());
        assertEquals("Build candidates failed [gpu]: BuildFailed", run.error());
        assertTrue(run.cause().startsWith("the gpu build failed (States.TaskFailed: "), run.cause());
        assertFalse(run.cause().contains("the cpu build failed"), run.cause());
        assertTrue(run.cause().contains("Next: read the failed build's CodeBuild log"), run.cause());
        assertTrue(run.cause().contains("{\"targetPatchVersion\": \"1.2.2\"}"), run.cause());
        String dir = "build_artifacts/v1/v1.2/v1.2.2";
        JsonNode failure = readJson(dir + "/failure.json");
        assertEquals("Build candidates", failure.get("stage").asText());
        assertEquals("[\"gpu\"]", failure.get("imageTypes").toString());
        assertFalse(p.bucket.exists(dir + "/release.json"));
        assertEquals(
                Map.of("generate", 1, "gates", 0, "promote", 0, "finalize", 0, "approval", 0, "failure", 1),
                calls("gpu-fails"));

        assertEquals(Set.of("cpu"), candidates("1.2.2").keySet(), "the cpu candidate only");
        assertTrue(stagingTags().keySet().stream().anyMatch(t -> t.startsWith("candidate-1.2.2-cpu-")));
        assertFalse(stagingTags().keySet().stream().anyMatch(t -> t.startsWith("candidate-1.2.2-gpu-")));
        assertNothingOf("1.2.2");
        assertLatestIs("1.2.1");
    }

    @Test
    @Order(3)
    void aReleaseRepositoryDown_failsAtPromote_movesNoAlias_andAPromoteRerunConverges() throws Exception {
        p.proxy.inject(RegistryProxy.Fault.always(r -> true, 503, Map.of()));
        Run run = execute("registry-down", "{\"targetPatchVersion\":\"1.2.2\",\"targetEcrRepos\":" + repos + "}");
        assertEquals(ExecutionStatus.FAILED, run.status(), run.toString());
        assertTrue(run.error().startsWith("Promote failed: "), run.error());
        assertTrue(run.cause().contains(p.proxy.hostPort()), "names the registry: " + run.cause());
        assertTrue(
                run.cause()
                        .contains("{\"targetPatchVersion\": \"1.2.2\", \"promote\": true, \"targetEcrRepos\": "
                                + repos.replace(" ", "") + "}"),
                "the re-run to start, with this run's repositories: " + run.cause());
        assertEquals(
                "Promote",
                readJson("build_artifacts/v1/v1.2/v1.2.2/failure.json")
                        .get("stage")
                        .asText());
        assertFalse(p.bucket.exists("build_artifacts/v1/v1.2/v1.2.2/release.json"));
        assertLatestIs("1.2.1");
        assertFalse(
                localTags().keySet().stream().anyMatch(t -> t.startsWith("1.2.2-")),
                localTags().toString());

        p.proxy.clearFaults();
        Run rerun = execute(
                "promote-rerun",
                "{\"targetPatchVersion\":\"1.2.2\",\"promote\":true,\"targetEcrRepos\":" + repos + "}");
        assertEquals(ExecutionStatus.SUCCEEDED, rerun.status(), rerun.toString());
        assertFalse(rerun.states().contains("Build candidates"), "promote: true builds nothing: " + rerun);
        assertEquals(
                Map.of("generate", 1, "gates", 1, "promote", 1, "finalize", 1, "approval", 0, "failure", 0),
                calls("promote-rerun"));
        Map<String, Candidate> candidates = candidates("1.2.2");
        assertEquals(Set.copyOf(TYPES), candidates.keySet());
        remember("1.2.2", candidates);
        assertLatestIs("1.2.2");
    }

    @Test
    @Order(4)
    void approval_approvedWithTheTokenOfApprovalJson_releases() throws Exception {
        String execution = Runs.start(p.sfn, release, "Build", "approve", approvalInput("latest"));
        JsonNode request = awaitApprovalRequest("1.2.3");
        assertEquals(execution, request.get("execution").asText());
        Map<String, Candidate> candidates = candidates("1.2.3");
        for (String type : TYPES) {
            assertEquals(
                    candidates.get(type).digest(),
                    request.at("/digests/" + type).asText());
        }
        assertNothingOf("1.2.3"); // nothing promoted before the answer
        p.sfn.sendTaskSuccess(
                b -> b.taskToken(request.get("taskToken").asText()).output("{\"approvedBy\":\"release-manager\"}"));
        Run run = Runs.await(p.sfn, execution);
        assertEquals(ExecutionStatus.SUCCEEDED, run.status(), run.toString());
        remember("1.2.3", candidates);
        assertLatestIs("1.2.3");
    }

    @Test
    @Order(5)
    void approval_rejected_failsNamingTheStage_andMovesNoAlias() throws Exception {
        String execution = Runs.start(p.sfn, release, "Build", "reject", approvalInput("latest"));
        JsonNode request = awaitApprovalRequest("1.2.4");
        p.sfn.sendTaskFailure(b -> b.taskToken(request.get("taskToken").asText())
                .error("Rejected")
                .cause("the changelog downgrades numpy"));
        Run run = Runs.await(p.sfn, execution);
        assertEquals(ExecutionStatus.FAILED, run.status(), run.toString());
        assertEquals("Wait for approval failed: Rejected", run.error());
        assertTrue(run.cause().contains("the changelog downgrades numpy"), run.cause());
        assertTrue(run.cause().contains("the release was rejected; no alias moved"), run.cause());
        assertNothingOf("1.2.4");
        assertLatestIs("1.2.3");
    }

    /** The deployed state waits a day; a variant of the same definition waits 3 s. */
    @Test
    @Order(6)
    void approval_unanswered_timesOut_andFails() throws Exception {
        String shortWait = p.createVariant(
                DeployedPipeline.SHORT_APPROVAL_MACHINE,
                d -> ((ObjectNode) d.get("States").get("Wait for approval")).put("TimeoutSeconds", 3));
        Run run = Runs.execute(
                p.sfn,
                shortWait,
                "Build",
                "unanswered",
                "{\"targetPatchVersion\":\"1.2.4\",\"approval\":true,\"targetEcrRepos\":" + repos + "}");
        assertEquals(ExecutionStatus.FAILED, run.status(), run.toString());
        assertEquals("Wait for approval failed: Timeout", run.error());
        assertTrue(run.cause().contains("nobody answered in time"), run.cause());
        assertTrue(p.bucket.exists("build_artifacts/v1/v1.2/v1.2.4/approval.json"));
        assertNothingOf("1.2.4");
    }

    @Test
    @Order(7)
    void imageTestsAllSkipped_withoutAWaiver_failTheGate_andNothingIsPromoted() throws Exception {
        p.builds.tests(CandidateBuilds.Tests.ALL_SKIPPED);
        Run run = execute("tests-skipped", "{\"targetPatchVersion\":\"1.2.4\",\"targetEcrRepos\":" + repos + "}");
        assertEquals(ExecutionStatus.FAILED, run.status(), run.toString());
        assertEquals("Evaluate gates failed [gpu, cpu]: GateFailedException", run.error());
        assertTrue(run.cause().contains("\"skipTests\": true"), run.cause());
        JsonNode gates = readJson("build_artifacts/v1/v1.2/v1.2.4/gates.json");
        assertTrue(gates.toString().contains("\"status\":\"FAILED\""), gates.toString());
        assertEquals(0, calls("tests-skipped").get("promote"));
        assertNothingOf("1.2.4");
    }

    @Test
    @Order(8)
    void skipTests_waivesTheGate_releases_andReleaseJsonRecordsTheWaiver() throws Exception {
        Run run = execute(
                "tests-waived",
                "{\"targetPatchVersion\":\"1.2.4\",\"skipTests\":true,\"targetEcrRepos\":" + repos + "}");
        assertEquals(ExecutionStatus.SUCCEEDED, run.status(), run.toString());
        JsonNode record = readJson("build_artifacts/v1/v1.2/v1.2.4/release.json");
        assertTrue(record.at("/input/skipTests").asBoolean());
        List<String> waived = new ArrayList<>();
        record.get("gates").forEach(g -> {
            if (g.get("gate").asText().equals("tests")) {
                assertEquals("WAIVED", g.get("status").asText(), g.toString());
                waived.add(g.get("imageType").asText());
            }
        });
        assertEquals(TYPES, waived);
        remember("1.2.4", candidates("1.2.4"));
        assertLatestIs("1.2.4");
    }

    /**
     * A nightly over three bases: 1.2.4 gets candidates of 1.2.5 (gated, nothing promoted), 1.2.3 is skipped since its
     * next version is released, 1.7.0 fails at Generate; the nightly fails naming that child's execution ARN. The
     * nightly is the deployed definition with its children on the release machine's mock test case.
     */
    @Test
    @Order(9)
    void nightly_buildsCandidatesOnly_neverRegeneratesAReleasedVersion_andNamesFailedChildren() throws Exception {
        p.bucket.write(
                NightlySchedule.FILE,
                new NightlySchedule(List.of(), List.of("1.2.4", "1.2.3", "1.7.0"), List.of(), List.of(), Map.of())
                        .toJson());
        byte[] released124 =
                p.bucket.read("build_artifacts/v1/v1.2/v1.2.4/release.json").orElseThrow();
        String definition = p.sfn.describeStateMachine(r -> r.stateMachineArn(p.outputs.get("NightlyStateMachineArn")))
                .definition()
                .replace("\"" + release + "\"", "\"" + release + "#Build\"");
        String nightlyArn = p.sfn.createStateMachine(b -> b.name(DeployedPipeline.PREFIX + "-nightly-e2e")
                        .definition(definition)
                        .roleArn("arn:aws:iam::000000000000:role/nightly-e2e"))
                .stateMachineArn();
        Run nightly = Runs.execute(p.sfn, nightlyArn, null, "nightly-e2e", "{}");
        String night = LocalDate.now(ZoneOffset.UTC).toString();
        String failedChild = executionArnPrefix() + "nightly-patch-1.7.0-" + night;
        assertEquals(ExecutionStatus.FAILED, nightly.status(), nightly.toString());
        assertEquals("NightlyReleasesFailed", nightly.error());
        assertTrue(
                nightly.cause().startsWith("1 of 2 nightly releases failed: [\"" + failedChild + "\"]"),
                nightly.cause());
        JsonNode results =
                nightly.stateInputs("Describe nightly failure").get(0).get("results");
        for (JsonNode result : results) {
            assertEquals(
                    executionArnPrefix() + result.get("name").asText(),
                    result.get("executionArn").asText());
        }

        DescribeExecutionResponse child =
                p.sfn.describeExecution(b -> b.executionArn(executionArnPrefix() + "nightly-patch-1.2.4-" + night));
        assertEquals(ExecutionStatus.SUCCEEDED, child.status(), child.toString());
        JsonNode input = JSON.readTree(child.input());
        assertTrue(input.get("candidateOnly").asBoolean() && input.get("force").asBoolean(), input.toString());
        JsonNode output = JSON.readTree(child.output());
        assertEquals("1.2.5", output.get("version").asText());
        assertEquals("gated", output.get("state").asText());
        Map<String, Candidate> candidates = candidates("1.2.5");
        for (String type : TYPES) {
            assertEquals(
                    candidates.get(type).digest(),
                    output.at("/candidates/" + type).asText());
        }
        assertFalse(p.bucket.exists("build_artifacts/v1/v1.2/v1.2.5/release.json"));
        assertNothingOf("1.2.5");
        assertLatestIs("1.2.4");
        assertTrue(java.util.Arrays.equals(
                released124,
                p.bucket.read("build_artifacts/v1/v1.2/v1.2.4/release.json").orElseThrow()));
        assertTrue(
                p.builds.built().stream()
                        .noneMatch(c -> c.tag().startsWith("candidate-1.2.4-")
                                && c.tag().contains("nightly")),
                "the nightly did not build the released 1.2.4 again");
        DescribeExecutionResponse missing = p.sfn.describeExecution(b -> b.executionArn(failedChild));
        assertEquals(ExecutionStatus.FAILED, missing.status());
        assertTrue(missing.cause().contains("1.7.0"), missing.cause());
    }

    /** User errors fail at Generate at once (one invocation), with the field and the fix, and write only the record. */
    @Test
    @Order(10)
    void userErrors_failAtOnce_withAReadableErrorAndCause() throws Exception {
        Run bad = execute("bad-input", "{\"releaseType\":\"patch\",\"basePatchVersion\":\"../../etc\"}");
        assertEquals(ExecutionStatus.FAILED, bad.status(), bad.toString());
        assertEquals("Generate artifacts failed: InvalidInputException", bad.error());
        assertTrue(bad.cause().contains("basePatchVersion '../../etc' is not a version"), bad.cause());
        assertTrue(bad.cause().contains("Next: fix the input as the message says"), bad.cause());
        assertTrue(p.bucket.exists("failures/bad-input.json"));
        assertEquals(1, calls("bad-input").get("generate"), "a user error is not retried");

        Run released = execute("released-again", "{\"targetPatchVersion\":\"1.2.1\",\"targetEcrRepos\":" + repos + "}");
        assertEquals(ExecutionStatus.FAILED, released.status(), released.toString());
        assertEquals("Generate artifacts failed: VersionExistsException", released.error());
        assertTrue(released.cause().contains("version 1.2.1 is released"), released.cause());
        assertEquals(1, calls("released-again").get("generate"));
        assertLatestIs("1.2.4");
    }

    /**
     * validateSize: the release adds a package of 500 kB to images whose conda packages take 12.5 MB (4 %): the size
     * gate passes, with the candidate's size in staging beside it, and the release goes on.
     */
    @Test
    @Order(11)
    void validateSize_aSmallNewPackage_passesTheSizeGate() throws Exception {
        p.builds.extraPackage(DeployedPipeline.BIG_PACKAGE);
        Run run = execute(
                "size-passes",
                "{\"releaseType\":\"patch\",\"basePatchVersion\":\"latest\",\"force\":true,\"validateSize\":true,"
                        + "\"targetEcrRepos\":" + repos + "}");
        assertEquals(ExecutionStatus.SUCCEEDED, run.status(), run.toString());
        JsonNode gates = readJson("build_artifacts/v1/v1.2/v1.2.5/gates.json");
        List<String> sized = new ArrayList<>();
        for (JsonNode result : gates.get("results")) {
            if (result.get("gate").asText().equals("size")) {
                assertEquals("PASSED", result.get("status").asText(), result.toString());
                sized.add(result.get("imageType").asText());
            }
        }
        assertEquals(TYPES, sized, gates.toString());
        remember("1.2.5", candidates("1.2.5"));
        assertLatestIs("1.2.5");
    }

    /** validateSize: a new package of 3 MB is 20 % of 15 MB: the size gate fails (not retried), nothing moves. */
    @Test
    @Order(12)
    void validateSize_aBigNewPackage_failsTheSizeGate_andNothingIsPromoted() throws Exception {
        p.builds.extraPackage(DeployedPipeline.BIGGER_PACKAGE);
        Run run = execute(
                "size-fails",
                "{\"releaseType\":\"patch\",\"basePatchVersion\":\"latest\",\"validateSize\":true,\"targetEcrRepos\":"
                        + repos + "}");
        assertEquals(ExecutionStatus.FAILED, run.status(), run.toString());
        assertEquals("Evaluate gates failed [gpu, cpu]: GateFailedException", run.error());
        assertTrue(run.cause().contains("size [gpu]"), run.cause());
        assertEquals(
                Map.of("generate", 1, "gates", 1, "promote", 0, "finalize", 0, "approval", 0, "failure", 1),
                calls("size-fails"));
        assertNothingOf("1.2.6");
        assertLatestIs("1.2.5");
    }

    /**
     * The signing revoked while a release waits for approval (its profile cancelled): Promote verifies the signatures
     * it was given before any copy, refuses them naming the signature gate, and nothing moves. Last: the deployment
     * signs no more after it.
     */
    @Test
    @Order(13)
    void aSigningRevokedWhileWaitingForApproval_stopsThePromotion_andNothingMoves() throws Exception {
        String execution = Runs.start(
                p.sfn,
                release,
                "Build",
                "revoked",
                "{\"releaseType\":\"patch\",\"basePatchVersion\":\"latest\",\"force\":true,\"approval\":true,"
                        + "\"targetEcrRepos\":" + repos + "}");
        JsonNode request = awaitApprovalRequest("1.2.6");
        assertTrue(p.bucket.exists("build_artifacts/v1/v1.2/v1.2.6/signatures.json"), "signed once the gates passed");
        p.signer.cancelSigningProfile(b -> b.profileName(p.signing.profileName()));
        p.sfn.sendTaskSuccess(
                b -> b.taskToken(request.get("taskToken").asText()).output("{\"approvedBy\":\"release-manager\"}"));

        Run run = Runs.await(p.sfn, execution);
        assertEquals(ExecutionStatus.FAILED, run.status(), run.toString());
        assertTrue(run.error().startsWith("Promote failed"), run.error());
        assertTrue(run.error().endsWith(": GateFailedException"), run.error());
        assertTrue(run.cause().contains("signature [gpu]"), run.cause());
        assertTrue(run.cause().contains("is Canceled"), run.cause());
        assertEquals(0, calls("revoked").get("finalize"));
        assertNothingOf("1.2.6");
        assertLatestIs("1.2.5");
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private static Run execute(String name, String input) throws InterruptedException {
        return Runs.execute(p.sfn, release, "Build", name, input);
    }

    private static String approvalInput(String base) {
        return "{\"releaseType\":\"patch\",\"basePatchVersion\":\"" + base + "\",\"approval\":true,\"targetEcrRepos\":"
                + repos + "}";
    }

    /** approval.json of the version once the Approval function wrote it. */
    private static JsonNode awaitApprovalRequest(String version) throws Exception {
        String path = "build_artifacts/v1/v1.2/v" + version + "/approval.json";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!p.bucket.exists(path)) {
            assertTrue(System.nanoTime() < deadline, "no " + path + " after 60 s");
            Thread.sleep(100);
        }
        return readJson(path);
    }

    private static String executionArnPrefix() {
        return release.replace(":stateMachine:", ":execution:") + ":";
    }

    /** The candidates of the newest run that built {@code version}, by image type. */
    private static Map<String, Candidate> candidates(String version) {
        Map<String, Candidate> out = new TreeMap<>();
        p.builds.built().stream()
                .filter(c -> c.tag().startsWith("candidate-" + version + "-" + c.imageType() + "-"))
                .forEach(c -> out.put(c.imageType(), c)); // in build order: the newest run's stays
        return out;
    }

    private static void remember(String version, Map<String, Candidate> candidates) {
        Map<String, String> digests = new TreeMap<>();
        candidates.forEach((type, c) -> digests.put(type, c.digest()));
        RELEASED.put(version, digests);
    }

    /** Every alias of every release repository is on {@code version}'s digest, which is the catalog's latest. */
    private static void assertLatestIs(String version) throws Exception {
        Map<String, String> ecr = ecrTags();
        Map<String, String> local = localTags();
        for (String type : TYPES) {
            String digest = RELEASED.get(version).get(type);
            for (String alias : List.of("1.2-", "1-", "latest-")) {
                assertEquals(digest, ecr.get(alias + type), "ECR " + alias + type);
                assertEquals(digest, local.get(alias + type), "docker-registry " + alias + type);
            }
        }
        assertEquals(version, new VersionCatalog(p.bucket).resolveBase("latest"));
    }

    /** No tag of {@code version} in any release repository, and no release.json. */
    private static void assertNothingOf(String version) throws Exception {
        for (Map<String, String> tags : List.of(ecrTags(), localTags())) {
            assertFalse(tags.keySet().stream().anyMatch(t -> t.startsWith(version + "-")), tags.toString());
        }
        assertFalse(p.bucket.exists("build_artifacts/v1/v1.2/v" + version + "/release.json"));
    }

    private static Map<String, String> ecrTags() {
        return RepositoryTags.ofEcr(p.ecr, ECR_RELEASE_NAME);
    }

    private static Map<String, String> stagingTags() {
        return RepositoryTags.ofEcr(p.ecr, p.staging.substring(p.staging.indexOf('/') + 1));
    }

    private static Map<String, String> localTags() throws Exception {
        return RepositoryTags.ofRegistry(p.registry.hostPort(), LOCAL_RELEASE_NAME);
    }

    /** How often each function ran for the execution {@code name} (its runId, or its execution name). */
    private static Map<String, Integer> calls(String name) throws Exception {
        Map<String, Integer> out = new TreeMap<>();
        for (String function : List.of("generate", "gates", "approval", "promote", "finalize", "failure")) {
            int n = 0;
            for (Invocation invocation : p.lambdas.invocations("/" + function)) {
                JsonNode event = JSON.readTree(invocation.event());
                if (name.equals(event.at("/execution/name").asText(null))
                        || name.equals(event.at("/plan/runId").asText(null))) {
                    n++;
                }
            }
            out.put(function, n);
        }
        return out;
    }

    private static JsonNode readJson(String path) throws Exception {
        return JSON.readTree(p.bucket.read(path).orElseThrow(() -> new AssertionError("no " + path)));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
