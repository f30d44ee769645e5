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
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.testsupport.Trees;
import io.smdrelease.version.SemVer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
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

    private LocalDirStore store;
    private ReleaseLifecycle lifecycle;
    private final InMemoryRegistry registry = new InMemoryRegistry();

    @BeforeEach
    void checkout() {
        TestTrees.copy(Trees.repoDir().resolve("examples/sample-distribution"), root);
        store = new LocalDirStore(root);
        Clock clock = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);
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
        lifecycle.finish(plan, lifecycle.promote(plan, registry));
        return plan;
    }

    private static String digest(String type) {
        return digest(type, "1.2.1");
    }

    private static String digest(String type, String version) {
        String hex = (type.equals("cpu") ? "c" : "9") + version.replace(".", "");
        return "sha256:" + hex + "0".repeat(64 - hex.length());
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

        PromotionResult promoted = lifecycle.promote(plan, registry);
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

        ReleaseRecord record = lifecycle.finish(plan, promoted);
        JsonNode json = JSON.readTree(root.resolve(DIR + "/release.json").toFile());
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
        PromotionResult again = lifecycle.promote(plan, registry);
        assertTrue(again.copies().stream().allMatch(c -> c.skipped()));
        assertEquals(List.of(), registry.writes);
    }

    @Test
    void promotion_failingRepository_movesNoAliasAnywhere_andARerunConverges() throws Exception {
        ReleasePlan plan = patch("");
        candidates(plan, PASSED);
        lifecycle.evaluateGates(plan, List.of(new TestsGate()));
        registry.down.add(REPOS.get(1));

        assertThrows(RegistryException.class, () -> lifecycle.promote(plan, registry));
        assertTrue(
                registry.writes.stream().allMatch(w -> w.matches(".*:1\\.2\\.1-(cpu|gpu)")),
                registry.writes.toString());

        registry.down.clear();
        lifecycle.promote(plan, registry);
        for (String repo : REPOS) {
            assertEquals(digest("gpu"), registry.tags.get(repo + ":latest-gpu"));
        }
    }

    @Test
    void promotion_neverRepointsAVersionTag() throws Exception {
        ReleasePlan plan = patch("");
        candidates(plan, PASSED);
        lifecycle.evaluateGates(plan, List.of(new TestsGate()));
        registry.tags.put(REPOS.get(2) + ":1.2.1-gpu", "sha256:" + "0".repeat(64));

        TagConflictException e = assertThrows(TagConflictException.class, () -> lifecycle.promote(plan, registry));
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
        assertThrows(GateFailedException.class, () -> lifecycle.promote(plan, registry), "no promotion after");
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
        assertEquals(2, report.waivers().size());
        assertEquals(GateStatus.WAIVED, report.results().get(0).status());
        ReleaseRecord record = lifecycle.finish(waived, lifecycle.promote(waived, registry));
        assertTrue(record.input().skipTests());
        assertEquals("WAIVED", record.gates().get(0).status().name());
    }

    @Test
    void releasedVersion_isNeverGeneratedOrBuiltAgain_evenWithForce() throws Exception {
        ReleasePlan plan = patch("");
        candidates(plan, PASSED);
        lifecycle.evaluateGates(plan, List.of(new TestsGate()));
        lifecycle.finish(plan, lifecycle.promote(plan, registry));

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
