package io.smdrelease.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.artifacts.VersionCatalog;
import io.smdrelease.error.MissingArtifactException;
import io.smdrelease.gates.TestsGate;
import io.smdrelease.store.BucketStore;
import io.smdrelease.store.InMemoryBucket;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.store.TreeTransfer;
import io.smdrelease.testsupport.TestCertificates;
import io.smdrelease.testsupport.Trees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle in a bucket (a store that records releases): builds write only under their run's
 * {@code incoming/} prefix, the gates step checks and moves that, and only release.json makes a version released.
 */
class BucketLifecycleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STAGING = "127.0.0.1:5000/staging";
    private static final String DIR = "build_artifacts/v1/v1.2/v1.2.1";

    private BucketStore bucket;
    private ReleaseLifecycle lifecycle;
    private final InMemoryRegistry registry = new InMemoryRegistry();

    @TempDir
    Path certificates;

    private TestCertificates ca;

    @BeforeEach
    void seededBucket() {
        bucket = new BucketStore(new InMemoryBucket(), "", Clock.systemUTC());
        LocalDirStore examples = new LocalDirStore(Trees.examples());
        TreeTransfer.pushTree(examples, bucket);
        CheckoutReleases.record(examples, bucket, Clock.systemUTC());
        lifecycle = new ReleaseLifecycle(bucket, ImageConfigs.builtIn(), Clock.systemUTC());
        ca = TestCertificates.rootCa(certificates, "release-ca");
    }

    private ReleasePlan plan(String run) throws Exception {
        return lifecycle.generate(
                ReleaseInput.parse(JSON.readTree("{\"releaseType\":\"patch\",\"basePatchVersion\":\"latest\","
                        + "\"targetEcrRepos\":[\"127.0.0.1:5001/a\"]}")),
                new RunContext(
                        "arn:aws:states:us-east-1:1:execution:release:" + run,
                        run,
                        STAGING,
                        dir -> Map.of(),
                        type -> "build-" + type,
                        Duration.ofMinutes(15),
                        Clock.systemUTC()));
    }

    /** What the builds write, under {@code incoming/<run>/<type>/}; {@code candidate} edits the record. */
    private void results(ReleasePlan plan, String repository, String tag) throws Exception {
        for (PlannedBuild build : plan.builds()) {
            String type = build.imageType();
            String prefix = "incoming/" + plan.runId() + "/" + type + "/";
            bucket.write(prefix + type + ".env.out", "@EXPLICIT\n".getBytes(StandardCharsets.UTF_8));
            bucket.write(
                    prefix + "test-report-" + type + ".json",
                    JSON.writeValueAsBytes(Map.of(
                            "imageType",
                            type,
                            "cases",
                            List.of(Map.of("name", "numpy.test.Dockerfile", "result", "passed")))));
            bucket.write(
                    prefix + "candidate-" + type + ".json",
                    JSON.writeValueAsBytes(Map.of(
                            "imageType",
                            type,
                            "repository",
                            repository,
                            "tag",
                            tag == null ? build.candidateTag() : tag,
                            "digest",
                            registry.putImage(repository, tag == null ? build.candidateTag() : tag, type))));
        }
    }

    @Test
    void theBuildsResultsAreMovedIntoTheVersion_andOnlyReleaseJsonMakesItLatest() throws Exception {
        ReleasePlan plan = plan("r1");
        assertEquals("incoming/r1/cpu", plan.builds().get(1).environmentMap().get("RESULTS_PREFIX"));
        results(plan, STAGING, null);
        assertFalse(bucket.exists(DIR + "/candidate-cpu.json"), "nothing in the version before the gates");

        lifecycle.evaluateGates(plan, List.of(new TestsGate()));
        assertTrue(bucket.exists(DIR + "/candidate-cpu.json"));
        assertTrue(bucket.exists(DIR + "/gpu.env.out"));
        assertEquals("1.2.0", new VersionCatalog(bucket).resolveBase("latest"), "gated is not released");

        lifecycle.sign(
                plan,
                registry,
                ca.leaf("signer", TestCertificates.P256, true, 1).signer());
        lifecycle.finish(plan, lifecycle.promote(plan, registry, ca.trust()));
        assertEquals("1.2.1", new VersionCatalog(bucket).resolveBase("latest"));
    }

    @Test
    void aCandidatePushedElsewhere_orUnderAnotherTag_isRefused_andNothingIsMoved() throws Exception {
        ReleasePlan plan = plan("r2");
        results(plan, "127.0.0.1:5001/a", null);
        MissingArtifactException elsewhere = assertThrows(
                MissingArtifactException.class, () -> lifecycle.evaluateGates(plan, List.of(new TestsGate())));
        assertTrue(elsewhere.getMessage().contains("not the staging repository " + STAGING), elsewhere.getMessage());
        assertFalse(bucket.exists(DIR + "/gpu.env.out"), "a refused build's results stay out of the version");

        results(plan, STAGING, "latest-gpu");
        MissingArtifactException tag = assertThrows(
                MissingArtifactException.class, () -> lifecycle.evaluateGates(plan, List.of(new TestsGate())));
        assertTrue(tag.getMessage().contains("not the planned candidate tag"), tag.getMessage());
    }

    @Test
    void aBuildThatWroteNoCandidateForThisRun_isNotJudgedOnAnOlderOne() throws Exception {
        ReleasePlan first = plan("r3");
        results(first, STAGING, null);
        lifecycle.evaluateGates(first, List.of(new TestsGate()));
        ReleasePlan again = lifecycle.generate(
                ReleaseInput.parse(JSON.readTree("{\"targetPatchVersion\":\"1.2.1\"}")),
                new RunContext(
                        "arn:r4", "r4", STAGING, d -> Map.of(), t -> null, Duration.ofMinutes(15), Clock.systemUTC()));
        MissingArtifactException e = assertThrows(
                MissingArtifactException.class, () -> lifecycle.evaluateGates(again, List.of(new TestsGate())));
        assertTrue(e.getMessage().contains("incoming/r4/gpu/candidate-gpu.json is missing"), e.getMessage());
    }
}
