package io.smdrelease.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.TestTrees;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.artifacts.VersionCatalog;
import io.smdrelease.error.GateFailedException;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.error.TagConflictException;
import io.smdrelease.error.VersionExistsException;
import io.smdrelease.gates.GateReport;
import io.smdrelease.gates.GateStatus;
import io.smdrelease.gates.TestsGate;
import io.smdrelease.registry.RegistryException;
import io.smdrelease.signing.LocalKeySigner;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.testsupport.TestCertificates;
import io.smdrelease.testsupport.Trees;
import io.smdrelease.version.SemVer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lifecycle on a checkout of the sample distribution: generate, candidates, gates, promote, release.json. */
class ReleaseLifecycleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STAGING = "127.0.0.1:5000/staging";
    private static final List<String> REPOS = List.of("127.0.0.1:5001/a", "127.0.0.1:5002/b", "127.0.0.1:5003/c");
    private static final String DIR = "build_artifacts/v1/v1.2/v1.2.1";

    @TempDir
    Path root;

    @TempDir
    static Path certificates;

    private static TestCertificates ca;
    private static LocalKeySigner signer;

    private LocalDirStore store;
    private ReleaseLifecycle lifecycle;
    private final InMemoryRegistry registry = new InMemoryRegistry();

    @BeforeAll
    static void signingCertificates() {
        ca = TestCertificates.rootCa(certificates, "release-ca");
        signer = ca.leaf("release-signer", TestCertificates.P256, true, 30).signer();
    }

    @BeforeEach
    void checkout() {
        TestTrees.copy(Trees.repoDir().resolve("examples/sample-distribution"), root);
        store = new LocalDirStore(root);
        // now: the signatures are checked against the validity of a certificate made for this run
        Clock clock = Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC);
        lifecycle = new ReleaseLifecycle(store, ImageConfigs.builtIn(), clock);
    }

    private RunContext run(String name) {
        return new RunContext(
                "arn:aws:states:us-east-1:1:execution:release:" + name,
                name,
                STAGING,
                dir -> Map.of("ARTIFACT_DIR", root.resolve(dir).toString()),
                type -> "build-" + type,
                Duration.ofMinutes(15),
                Clock.systemUTC());
    }

    private static ReleaseInput input(String json) throws Exception {
        return ReleaseInput.parse(JSON.readTree(json));
    }

    private ReleasePlan patch(String extra) throws Exception {
        return lifecycle.generate(
                input("{\"releaseType\":\"patch\",\"basePatchVersion\":\"latest\",\"targetEcrRepos\":"
                        + JSON.writeValueAsString(REPOS) + extra + "}"),
                run("r1"));
    }

    /** What the candidate builds write: env.out, the candidate record and the test report. */
    private void candidates(ReleasePlan plan, String testReport) {
        String dir = plan.versionDir();
        for (String type : plan.imageTypes()) {
            Trees.write(root.resolve(dir + "/" + type + ".env.out"), "@EXPLICIT\n");
            Trees.write(
                    root.resolve(dir + "/candidate-" + type + ".json"),
                    "{\"imageType\":\"" + type + "\",\"repository\":\"" + STAGING + "\",\"tag\":\"candidate-"
                            + plan.targetVersion() + "-" + type + "-r1\",\"digest\":\""
                            + digest(type, plan.targetVersion()) + "\",\"pushedAt\":\"2026-12-02T10:00:00Z\"}");
            if (testReport != null) {
                Trees.write(root.resolve(dir + "/test-report-" + type + ".json"), testReport.replace("TYPE", type));
            }
        }
    }

    private ReleasePlan release(String name) throws Exception {
        ReleasePlan plan = lifecycle.generate(
                input("{\"releaseType\":\"patch\",\"basePatchVersion\":\"latest\",\"targetEcrRepos\":"
                        + JSON.writeValueAsString(REPOS) + "}"),
                run(name));
        candidates(plan, PASSED);
        lifecycle.evaluateGates(plan, List.of(new TestsGate()));
        lifecycle.sign(plan, registry, signer);
        lifecycle.finish(plan, promote(plan));
        return plan;
    }

    private String digest(String type) {
        return digest(type, "1.2.1");
    }

    /** The candidate image of a type and version in the staging repository (the same image every time). */
    private String digest(String type, String version) {
        return registry.putImage(STAGING, "candidate-" + version + "-" + type, type + "-" + version);
    }

    /** A patch whose candidates passed the tests gate. */
    private ReleasePlan gated() throws Exception {
        ReleasePlan plan = patch("");
        candidates(plan, PASSED);
        lifecycle.evaluateGates(plan, List.of(new TestsGate()));
        return plan;
    }

    /** A patch whose candidates passed the tests gate and are signed. */
    private ReleasePlan signed() throws Exception {
        ReleasePlan plan = gated();
        lifecycle.sign(plan, registry, signer);
        return plan;
    }

    private PromotionResult promote(ReleasePlan plan) {
        return lifecycle.promote(plan, registry, ca.trust());
    }

    private static final String PASSED = "{\"imageType\":\"TYPE\",\"skipTests\":false,\"cases\":["
            + "{\"name\":\"numpy.test.Dockerfile\",\"result\":\"passed\"},"
            + "{\"name\":\"gpu-dependencies.test.Dockerfile\",\"result\":\"skipped\",\"reason\":\"gpu only\"}]}";
    private static final String ALL_SKIPPED = "{\"imageType\":\"TYPE\",\"skipTests\":false,\"cases\":["
            + "{\"name\":\"numpy.test.Dockerfile\",\"result\":\"skipped\",\"reason\":\"numpy not in env.out\"}]}";

    @Test
    void generate_plansOneCandidateBuildPerImageType() throws Exception {
        ReleasePlan plan = patch("");
        assertEquals("1.2.1", plan.targetVersion());
        assertEquals("1.2.0", plan.sourceVersion());
        assertEquals(ReleaseMode.RELEASE, plan.mode());
        assertEquals(List.of("gpu", "cpu"), plan.imageTypes());
        PlannedBuild cpu = plan.builds().get(1);
        assertEquals("build-cpu", cpu.projectName());
        assertEquals("candidate-1.2.1-cpu-r1", cpu.candidateTag());
        Map<String, String> env = cpu.environmentMap();
        assertEquals(root.resolve(DIR).toString(), env.get("ARTIFACT_DIR"));
        assertEquals(STAGING, env.get("STAGING_REPO"));
        assertEquals("candidate-1.2.1-cpu-r1", env.get("CANDIDATE_TAG"));
        assertFalse(env.containsKey("TARGET_ECR_REPOS"), "builds never see the release repositories");
        assertTrue(Files.isRegularFile(root.resolve(DIR + "/cpu.env.in")));
    }

    @Test
    void wholeRelease_promotesVersionTagsEverywhereBeforeAnyAlias() throws Exception {
        ReleasePlan plan = patch("");
        candidates(plan, PASSED);
        GateReport gates = lifecycle.evaluateGates(plan, List.of(new TestsGate()));
        assertTrue(gates.passed());
        CandidateSignatures signed = lifecycle.sign(plan, registry, signer);

        PromotionResult promoted = promote(plan);
        assertEquals(6, promoted.versionTags().size(), "2 types x 3 repositories");
        int lastVersionTag = -1;
        int firstAlias = Integer.MAX_VALUE;
        for (int i = 0; i < registry.writes.size(); i++) {
            boolean alias = !registry.writes.get(i).matches(".*:1\\.2\\.1-(cpu|gpu)");
            if (alias) {
                firstAlias = Math.min(firstAlias, i);
            } else {
                lastVersionTag = i;
            }
        }
        assertTrue(lastVersionTag < firstAlias, "every version tag before the first alias: " + registry.writes);
        for (String repo : REPOS) {
            assertEquals(digest("cpu"), registry.tags.get(repo + ":latest-cpu"));
            assertEquals(digest("gpu"), registry.tags.get(repo + ":1.2-gpu"));
        }

        // each image's SBOM and signature are in every repository, by digest, referring to the image
        assertEquals(12, promoted.referrers().size(), "2 referrers x 2 types x 3 repositories");
        for (String repo : REPOS) {
            for (String type : List.of("cpu", "gpu")) {
                SignedCandidate s = signed.images().get(type);
                assertEquals(
                        digest(type),
                        registry.readReferrer(repo, s.signature()).subject().digest());
                assertEquals(
                        CandidateSignatures.SBOM_TYPE,
                        registry.readReferrer(repo, s.sbom()).artifactType());
            }
        }

        ReleaseRecord record = lifecycle.finish(plan, promoted);
        JsonNode json = JSON.readTree(root.resolve(DIR + "/release.json").toFile());
        assertEquals(
                signed.images().get("cpu").signature(),
                json.at("/images/cpu/signature/manifest").asText());
        assertEquals(
                64, json.at("/images/cpu/signature/certificateSha256").asText().length());
        assertEquals(
                signed.images().get("gpu").sbom(),
                json.at("/images/gpu/sbom/manifest").asText());
        assertEquals(
                DIR + "/gpu.sbom.cdx.json", json.at("/images/gpu/sbom/path").asText());
        assertEquals("1.2.1", json.get("version").asText());
        assertEquals(digest("cpu"), json.at("/images/cpu/stagedDigest").asText());
        assertEquals(
                "1.2.1-cpu",
                json.at("/images/cpu/repositories/127.0.0.1:5001~1a/0").asText());
        assertEquals(
                "latest-cpu",
                json.at("/images/cpu/repositories/127.0.0.1:5001~1a/3").asText());
        assertEquals(64, json.at("/images/gpu/envOutSha256").asText().length());
        assertEquals("PASSED", json.at("/gates/0/status").asText());
        assertEquals(record.execution(), json.get("execution").asText());
        assertTrue(Files.isRegularFile(root.resolve(DIR + "/CHANGELOG-cpu.md")));
        JsonNode sbom = JSON.readTree(root.resolve(DIR + "/cpu.sbom.cdx.json").toFile());
        assertEquals(
                digest("cpu"), sbom.at("/metadata/component/bom-ref").asText(), "the released digest is the subject");
        assertTrue(
                record.documents().contains(DIR + "/gpu.sbom.cdx.json"),
                record.documents().toString());

        // a re-run converges: nothing is written again
        registry.writes.clear();
        PromotionResult again = promote(plan);
        assertTrue(again.copies().stream().allMatch(c -> c.skipped()));
        assertEquals(List.of(), registry.writes);
    }

    @Test
    void releaseToNoRepository_writesEachSbomFromTheCandidatesEnvOut() throws Exception {
        ReleasePlan plan = lifecycle.generate(
                input("{\"releaseType\":\"patch\",\"basePatchVersion\":\"latest\",\"targetEcrRepos\":[]}"), run("r1"));
        candidates(plan, PASSED);
        lifecycle.evaluateGates(plan, List.of(new TestsGate()));

        ReleaseRecord record = lifecycle.finish(plan, promote(plan));

        JsonNode sbom = JSON.readTree(root.resolve(DIR + "/cpu.sbom.cdx.json").toFile());
        assertEquals(digest("cpu"), sbom.at("/metadata/component/bom-ref").asText(), "the candidate is the subject");
        assertEquals(
                DIR + "/cpu.sbom.cdx.json", record.images().get("cpu").sbom().path());
        assertEquals(null, record.images().get("cpu").sbom().manifest(), "pushed nowhere");
        assertEquals(null, record.images().get("cpu").signature());
    }

    @Test
    void promotion_unsignedCandidates_failsTheSignatureGate_andCopiesNothing() throws Exception {
        ReleasePlan plan = gated();

        GateFailedException e = assertThrows(GateFailedException.class, () -> promote(plan));
        assertEquals(List.of("signature [gpu]", "signature [cpu]"), e.failedGates());
        assertTrue(e.getMessage().contains("not signed"), e.getMessage());
        assertEquals(List.of(), registry.writes);
        assertEquals(List.of(), registry.digestWrites);
    }

    @Test
    void promotion_signatureOfAnUntrustedKey_failsTheSignatureGate_andCopiesNothing() throws Exception {
        ReleasePlan plan = gated();
        Path elsewhere = Files.createDirectories(certificates.resolve("elsewhere"));
        LocalKeySigner stranger = TestCertificates.rootCa(elsewhere, "someone-else")
                .leaf("stranger", TestCertificates.P256, true, 30)
                .signer();
        lifecycle.sign(plan, registry, stranger);
        registry.digestWrites.clear();

        GateFailedException e = assertThrows(GateFailedException.class, () -> promote(plan));
        assertEquals(List.of("signature [gpu]"), e.failedGates(), "the first image type that fails stops it");
        assertTrue(e.getMessage().contains("does not verify"), e.getMessage());
        assertEquals(List.of(), registry.writes);
        assertEquals(List.of(), registry.digestWrites);
    }

    @Test
    void promotion_aSignatureOfAnotherImage_failsTheSignatureGate() throws Exception {
        ReleasePlan plan = gated();
        CandidateSignatures signed = lifecycle.sign(plan, registry, signer);
        // the gpu record pointing at the cpu image's signature: a valid signature, of the wrong digest
        Path file = root.resolve(DIR + "/signatures.json");
        Files.writeString(
                file,
                Files.readString(file)
                        .replace(
                                signed.images().get("gpu").signature(),
                                signed.images().get("cpu").signature()));

        GateFailedException e = assertThrows(GateFailedException.class, () -> promote(plan));
        assertEquals(List.of("signature [gpu]"), e.failedGates());
        assertEquals(List.of(), registry.writes);
    }

    @Test
    void promotion_failingRepository_movesNoAliasAnywhere_andARerunConverges() throws Exception {
        ReleasePlan plan = signed();
        registry.down.add(REPOS.get(1));

        assertThrows(RegistryException.class, () -> promote(plan));
        assertTrue(
                registry.writes.stream().allMatch(w -> w.matches(".*:1\\.2\\.1-(cpu|gpu)")),
                registry.writes.toString());

        registry.down.clear();
        promote(plan);
        for (String repo : REPOS) {
            assertEquals(digest("gpu"), registry.tags.get(repo + ":latest-gpu"));
        }
    }

    @Test
    void promotion_neverRepointsAVersionTag() throws Exception {
        ReleasePlan plan = signed();
        registry.tags.put(REPOS.get(2) + ":1.2.1-gpu", "sha256:" + "0".repeat(64));

        TagConflictException e = assertThrows(TagConflictException.class, () -> promote(plan));
        assertTrue(e.getMessage().contains(REPOS.get(2) + ":1.2.1-gpu"), e.getMessage());
        assertEquals(List.of(), registry.writes, "nothing was copied");
    }

    @Test
    void gates_allCasesSkipped_failsNamingTheGate_andRecordsTheEvidence() throws Exception {
        ReleasePlan plan = patch("");
        candidates(plan, ALL_SKIPPED);
        GateFailedException e =
                assertThrows(GateFailedException.class, () -> lifecycle.evaluateGates(plan, List.of(new TestsGate())));
        assertEquals(List.of("tests [gpu]", "tests [cpu]"), e.failedGates());
        assertTrue(e.getMessage().contains("skipTests: true"), e.getMessage());
        assertTrue(Files.isRegularFile(root.resolve(DIR + "/gates.json")));
        assertThrows(GateFailedException.class, () -> promote(plan), "no promotion after");
        assertEquals(List.of(), registry.writes);
    }

    @Test
    void gates_noReport_failsUnlessWaived_andTheWaiverIsRecorded() throws Exception {
        ReleasePlan plan = patch("");
        candidates(plan, null);
        assertThrows(GateFailedException.class, () -> lifecycle.evaluateGates(plan, List.of(new TestsGate())));

        ReleasePlan waived = lifecycle.generate(
                input("{\"targetPatchVersion\":\"1.2.1\",\"skipTests\":true,\"targetEcrRepos\":"
                        + JSON.writeValueAsString(REPOS) + "}"),
                run("r2"));
        GateReport report = lifecycle.evaluateGates(waived, List.of(new TestsGate()));
        lifecycle.sign(waived, registry, signer);
        assertEquals(2, report.waivers().size());
        assertEquals(GateStatus.WAIVED, report.results().get(0).status());
        ReleaseRecord record = lifecycle.finish(waived, promote(waived));
        assertTrue(record.input().skipTests());
        assertEquals("WAIVED", record.gates().get(0).status().name());
    }

    @Test
    void releasedVersion_isNeverGeneratedOrBuiltAgain_evenWithForce() throws Exception {
        ReleasePlan plan = signed();
        lifecycle.finish(plan, promote(plan));

        assertThrows(
                VersionExistsException.class,
                () -> lifecycle.generate(
                        input("{\"releaseType\":\"patch\",\"basePatchVersion\":\"1.2.0\",\"force\":true}"), run("r3")));
        assertThrows(
                VersionExistsException.class,
                () -> lifecycle.generate(input("{\"targetPatchVersion\":\"1.2.1\",\"force\":true}"), run("r4")));
        assertEquals("1.2.1", new VersionCatalog(store).resolveBase("latest-1.2"));
    }

    @Test
    void yank_marksTheReleaseBad_andMovesItsAliasesToTheNewestGoodRelease() throws Exception {
        release("r1");
        release("r2");
        for (String repo : REPOS) {
            assertEquals(digest("cpu", "1.2.2"), registry.tags.get(repo + ":latest-cpu"));
        }
        assertEquals("1.2.2", new VersionCatalog(store).resolveBase("latest"));

        AliasMoves.Record yank = lifecycle.yank(SemVer.of(1, 2, 2), "broken entrypoint", registry, "tester");
        for (String repo : REPOS) {
            assertEquals(digest("cpu", "1.2.1"), registry.tags.get(repo + ":latest-cpu"));
            assertEquals(digest("gpu", "1.2.1"), registry.tags.get(repo + ":1.2-gpu"));
            assertEquals(digest("cpu", "1.2.2"), registry.tags.get(repo + ":1.2.2-cpu"), "the version tag stays");
        }
        assertEquals(18, yank.moves().size(), "3 aliases x 2 types x 3 repositories");
        assertEquals("1.2.1", new VersionCatalog(store).resolveBase("latest"), "a yanked version is never a base");
        assertTrue(Files.isRegularFile(root.resolve("build_artifacts/v1/v1.2/v1.2.2/yanked.json")));
        assertThrows(
                InvalidInputException.class,
                () -> lifecycle.rollback("latest-cpu", SemVer.of(1, 2, 2), registry, "tester"));
    }

    @Test
    void rollback_pointsAnAliasAtAnEarlierRelease_inEveryRepository() throws Exception {
        release("r1");
        release("r2");
        AliasMoves.Record rollback = lifecycle.rollback("latest-gpu", SemVer.of(1, 2, 1), registry, "tester");
        for (String repo : REPOS) {
            assertEquals(digest("gpu", "1.2.1"), registry.tags.get(repo + ":latest-gpu"));
            assertEquals(digest("cpu", "1.2.2"), registry.tags.get(repo + ":latest-cpu"), "only the named alias");
        }
        assertEquals(3, rollback.moves().size());
        assertEquals(digest("gpu", "1.2.2"), rollback.moves().get(0).fromDigest());
        assertTrue(Files.list(root.resolve("alias-moves")).count() >= 1, "recorded");
    }
}
