package io.smdrelease.gates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.testsupport.Locks;
import io.smdrelease.testsupport.Trees;
import io.smdrelease.version.SemVer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The regression gate on real env.out files of ../shared/fixtures: the recorded 4.4.0 to 4.4.1 patch (which removes
 * libclang-cpp21.1 and downgrades eleven packages, none of them named in its env.in), and edits of the 1.5.2 and
 * 4.4.0 locks.
 */
class RegressionGateTest {
    private static final ImageConfigs CONFIGS = ImageConfigs.builtIn();

    @TempDir
    Path root;

    private static Path fixture(String path) {
        Path shared = Trees.sharedDir();
        Assumptions.assumeTrue(shared != null, "../shared/fixtures is not here: regression tests on it skipped");
        return shared.resolve("fixtures").resolve(path);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The base's env.out in the store, where the gate looks for it. */
    private LocalDirStore storeWithBase(SemVer base, String type, String envOut) {
        Trees.write(
                root.resolve("build_artifacts/v" + base.major() + "/v" + base.major() + "." + base.minor() + "/v" + base
                        + "/" + type + ".env.out"),
                envOut);
        return new LocalDirStore(root);
    }

    private static GateContext context(SemVer version, SemVer base, String type, String envOut) {
        Candidate candidate = new Candidate(type, "staging", "candidate", "sha256:" + "1".repeat(64), null);
        CandidateImage image = new CandidateImage(
                CONFIGS.forType(version.major(), type), candidate, envOut.getBytes(StandardCharsets.UTF_8), null);
        return new GateContext(version, base, List.of(image), false);
    }

    /** The target's env.in in the store: the packages the distribution asks for. */
    private void targetEnvIn(SemVer version, String type, String envIn) {
        Trees.write(
                root.resolve("build_artifacts/v" + version.major() + "/v" + version.major() + "." + version.minor()
                        + "/v" + version + "/" + type + ".env.in"),
                envIn);
    }

    private List<GateResult> realPatch(SemVer version, List<String> allowRegressions) {
        String base = read(fixture("changelog/4.4.1/input/build_artifacts/v4/v4.4/v4.4.0/cpu.env.out"));
        String target = read(fixture("changelog/4.4.1/input/build_artifacts/v4/v4.4/v4.4.1/cpu.env.out"));
        targetEnvIn(version, "cpu", read(fixture("changelog/4.4.1/input/build_artifacts/v4/v4.4/v4.4.1/cpu.env.in")));
        SemVer from = SemVer.of(4, 4, 0);
        return new RegressionGate(storeWithBase(from, "cpu", base), CONFIGS, allowRegressions, null)
                .evaluate(context(version, from, "cpu", target));
    }

    @Test
    void recordedPatch_4_4_1_regressesOnlyDependencies_whichAreReported_notBlocking() {
        GateResult result = realPatch(SemVer.of(4, 4, 1), List.of()).getFirst();
        assertEquals(GateStatus.PASSED, result.status(), result.summary());
        assertEquals(
                "dependency (not in env.in, not blocking): removed: libclang-cpp21.1 21.1.0",
                result.findings().get(0));
        assertEquals(
                12,
                result.findings().stream()
                        .filter(f -> f.startsWith("dependency (not in env.in, not blocking): "))
                        .count(),
                result.findings().toString());
        assertTrue(
                result.findings().contains("compared with 4.4.0: 5 added, 56 upgraded, 11 downgraded, 1 removed"),
                result.findings().toString());
    }

    @Test
    void allowRegressions_namingAPackageThatDidNotRegress_isReported() {
        GateResult result =
                realPatch(SemVer.of(4, 4, 1), List.of("pcre2", "numpy")).getFirst();
        assertEquals(GateStatus.PASSED, result.status());
        assertTrue(result.findings().contains("allowed by allowRegressions: downgraded: pcre2 10.46 -> 10.44"));
        assertTrue(
                result.findings().contains("allowRegressions names packages that did not regress in cpu: [numpy]"),
                result.findings().toString());
    }

    @Test
    void aRemovalAndADowngradeOfThe_1_5_2_lock_blockAPatch_theUpgradeDoesNot() {
        String base = read(fixture("generate/patch-1.5.2-to-1.5.3/input/build_artifacts/v1/v1.5/v1.5.2/cpu.env.out"));
        String candidate = base.lines()
                .filter(l -> !l.contains("/noarch/jupyterlab-4.1.2-"))
                .map(l -> l.replace("/pandas-2.1.4-", "/pandas-2.1.3-").replace("/numpy-1.26.4-", "/numpy-1.26.5-"))
                .reduce("", (a, b) -> a + b + "\n");
        SemVer from = SemVer.of(1, 5, 2);
        LocalDirStore store = storeWithBase(from, "cpu", base);
        String envIn =
                read(fixture("generate/patch-1.5.2-to-1.5.3/expected/build_artifacts/v1/v1.5/v1.5.3/cpu.env.in"));
        targetEnvIn(SemVer.of(1, 5, 3), "cpu", envIn);
        targetEnvIn(SemVer.of(1, 6, 0), "cpu", envIn);

        GateResult blocked = new RegressionGate(store, CONFIGS, List.of(), null)
                .evaluate(context(SemVer.of(1, 5, 3), from, "cpu", candidate))
                .getFirst();
        assertEquals(GateStatus.FAILED, blocked.status());
        assertEquals(
                List.of(
                        "removed: jupyterlab 4.1.2",
                        "downgraded: pandas 2.1.4 -> 2.1.3",
                        "compared with 1.5.2: 0 added, 1 upgraded, 1 downgraded, 1 removed"),
                blocked.findings());

        GateResult allowed = new RegressionGate(store, CONFIGS, List.of("JupyterLab", "pandas"), null)
                .evaluate(context(SemVer.of(1, 5, 3), from, "cpu", candidate))
                .getFirst();
        assertEquals(GateStatus.PASSED, allowed.status(), allowed.summary());
        assertEquals(
                List.of(
                        "allowed by allowRegressions: removed: jupyterlab 4.1.2",
                        "allowed by allowRegressions: downgraded: pandas 2.1.4 -> 2.1.3",
                        "compared with 1.5.2: 0 added, 1 upgraded, 1 downgraded, 1 removed"),
                allowed.findings());

        GateResult minor = new RegressionGate(store, CONFIGS, List.of(), null)
                .evaluate(context(SemVer.of(1, 6, 0), from, "cpu", candidate))
                .getFirst();
        assertEquals(GateStatus.PASSED, minor.status());
        assertEquals(blocked.findings(), minor.findings(), "a minor release reports the same");
    }

    @Test
    void anIdenticalRebuildOfThe_4_4_0_lock_passes() {
        String lock = Locks.read("gpu");
        SemVer from = SemVer.of(4, 4, 0);
        GateResult result = new RegressionGate(storeWithBase(from, "gpu", lock), CONFIGS, List.of(), null)
                .evaluate(context(SemVer.of(4, 4, 1), from, "gpu", lock))
                .getFirst();
        assertEquals(
                GateResult.passed(
                        "regression",
                        "gpu",
                        "nothing removed, downgraded or newly vulnerable against 4.4.0",
                        List.of("compared with 4.4.0: 0 added, 0 upgraded, 0 downgraded, 0 removed")),
                result);
    }

    @Test
    void aPatchWhoseBaseHasNoEnvOut_cannotBeCompared_andFails_aMinorIsOnlyTold() {
        SemVer from = SemVer.of(4, 4, 0);
        LocalDirStore store = new LocalDirStore(root);
        String lock = Locks.read("cpu");
        GateResult patch = new RegressionGate(store, CONFIGS, List.of(), null)
                .evaluate(context(SemVer.of(4, 4, 1), from, "cpu", lock))
                .getFirst();
        assertEquals(GateStatus.FAILED, patch.status());
        assertTrue(patch.summary().startsWith("cannot compare the cpu image with its base: "), patch.summary());
        assertTrue(
                patch.summary().endsWith("v4.4.0/cpu.env.out is missing; a patch release needs its base's env.out"),
                patch.summary());

        GateResult minor = new RegressionGate(store, CONFIGS, List.of(), null)
                .evaluate(context(SemVer.of(4, 5, 0), from, "cpu", lock))
                .getFirst();
        assertEquals(GateStatus.PASSED, minor.status());
    }

    @Test
    void withoutABase_thereIsNothingToCompare() {
        GateResult result = new RegressionGate(new LocalDirStore(root), CONFIGS, List.of(), null)
                .evaluate(context(SemVer.of(4, 4, 1), null, "cpu", Locks.read("cpu")))
                .getFirst();
        assertEquals(
                GateResult.passed("regression", "cpu", "no base version recorded: nothing to compare with", List.of()),
                result);
    }
}
