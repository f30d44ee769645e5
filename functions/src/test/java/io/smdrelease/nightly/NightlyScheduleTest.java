package io.smdrelease.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.error.InvalidInputException;
import io.smdrelease.error.MissingArtifactException;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.testsupport.Concurrently;
import io.smdrelease.testsupport.Trees;
import io.smdrelease.testsupport.Trees.CliResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/original-tool.md §6 nightly_build_helper.py rules, with the exact-match fix. */
class NightlyScheduleTest {
    @TempDir
    Path root;

    private static NightlySchedule schedule(
            List<String> active, List<String> patch, List<String> minor, List<String> major) {
        return new NightlySchedule(active, patch, minor, major, Map.of());
    }

    @Test
    void aMissingSchedule_isAnErrorNamingTheFileAndHowToCreateIt_butAnUpdateCreatesIt(@TempDir Path root) {
        NightlyScheduleStore store = new NightlyScheduleStore(new LocalDirStore(root));
        MissingArtifactException e = assertThrows(MissingArtifactException.class, store::read);
        assertTrue(e.getMessage().contains("nightly-schedule.json does not exist"), e.getMessage());
        assertTrue(e.getMessage().contains("smd-release nightly add-next-versions --version V"), e.getMessage());
        CliResult show = Trees.runCli("nightly", "show", "--root", root.toString());
        assertEquals(2, show.exitCode(), show.err());

        store.update(schedule -> schedule.addNextVersions("4.4.1"));
        assertEquals(List.of("4.4.1"), store.read().patchBaseVersions());
    }

    @Test
    void addNextVersions_ofAMinorRelease() {
        NightlySchedule s = schedule(List.of("4.4.0"), List.of("4.3.2"), List.of("4.3.2"), List.of("4.3.0"))
                .addNextVersions("4.4.0");
        assertEquals(List.of("4.4.0", "4.4.1", "4.5.0"), s.activeNightlyBuilds());
        assertEquals(List.of("4.3.2", "4.4.0"), s.patchBaseVersions());
        assertEquals(List.of("4.3.2", "4.4.0"), s.minorBaseVersions());
        assertEquals(List.of("4.4.0"), s.majorBaseVersions(), "x.(y-1).0 as a major base is replaced");
    }

    @Test
    void addNextVersions_ofAPatchRelease() {
        NightlySchedule s = schedule(List.of("4.4.1"), List.of("4.4.0"), List.of("4.4.0"), List.of("4.4.0"))
                .addNextVersions("4.4.1");
        assertEquals(List.of("4.4.1", "4.4.2"), s.activeNightlyBuilds());
        assertEquals(List.of("4.4.0", "4.4.1"), s.patchBaseVersions());
        assertEquals(List.of("4.4.1"), s.minorBaseVersions(), "x.y.(z-1) replaced in the minor bases");
        assertEquals(List.of("4.4.1"), s.majorBaseVersions(), "and in the major bases");
    }

    @Test
    void addNextVersions_ofAMajorReleaseLeavesMajorBases() {
        NightlySchedule s =
                schedule(List.of(), List.of(), List.of(), List.of("3.9.0")).addNextVersions("4.0.0");
        assertEquals(List.of("4.0.1", "4.1.0"), s.activeNightlyBuilds());
        assertEquals(List.of("3.9.0"), s.majorBaseVersions());
    }

    @Test
    void listsAreSortedNumerically() {
        NightlySchedule s = schedule(List.of("2.10.0", "2.9.0"), List.of(), List.of(), List.of())
                .addNextVersions("2.2.3");
        assertEquals(List.of("2.2.4", "2.9.0", "2.10.0"), s.activeNightlyBuilds());
    }

    @Test
    void removeVersion_ofAPatch_dropsThePreviousPatchBase() {
        NightlySchedule s = schedule(List.of("4.4.1", "4.4.2"), List.of("4.4.0", "4.4.1"), List.of("4.4.1"), List.of())
                .removeVersion("4.4.1");
        assertEquals(List.of("4.4.2"), s.activeNightlyBuilds());
        assertEquals(List.of("4.4.1"), s.patchBaseVersions());
        assertEquals(List.of("4.4.1"), s.minorBaseVersions());
    }

    @Test
    void removeVersion_ofAMinor_dropsThePreviousMinorsBasesExactly() {
        NightlySchedule s = schedule(List.of("2.2.0"), List.of(), List.of("2.1.3", "2.10.4", "2.1.0"), List.of())
                .removeVersion("2.2.0");
        assertEquals(List.of(), s.activeNightlyBuilds());
        assertEquals(
                List.of("2.10.4"), s.minorBaseVersions(), "2.1 must not remove 2.10.x (the original's prefix bug)");
    }

    @Test
    void removeVersion_removesEveryOccurrence() {
        NightlySchedule s = schedule(
                        List.of("4.4.1", "4.4.2", "4.4.1"), List.of("4.4.0", "4.4.1", "4.4.0"), List.of(), List.of())
                .removeVersion("4.4.1");
        assertEquals(List.of("4.4.2"), s.activeNightlyBuilds());
        assertEquals(List.of("4.4.1"), s.patchBaseVersions());
    }

    /** The original returns before touching anything when the version is not an active nightly build. */
    @Test
    void removeVersion_ofAVersionNotScheduled_changesNothing() {
        NightlySchedule before = schedule(List.of("2.3.0"), List.of("2.1.1"), List.of("2.1.3"), List.of());
        assertEquals(before, before.removeVersion("2.2.0"));
        assertEquals(before, before.removeVersion("2.1.2"));
    }

    @Test
    void cliRemoveVersion_ofAVersionNotScheduled_writesNothing() {
        String compact = "{\"active_nightly_builds\": [\"4.4.1\"], \"minor_base_versions\": [\"4.3.0\"]}";
        Trees.write(root.resolve(NightlySchedule.FILE), compact);
        CliResult run = Trees.runCli("nightly", "remove-version", "--version", "4.4.0", "--root", root.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("4.4.0 is not in active_nightly_builds"), run.err());
        assertEquals(compact, Trees.read(root.resolve(NightlySchedule.FILE)), "not even reformatted");

        Path empty = root.resolve("empty");
        Trees.write(empty.resolve("README.md"), "a distribution without a schedule\n");
        CliResult none = Trees.runCli("nightly", "remove-version", "--version", "4.4.0", "--root", empty.toString());
        assertEquals(0, none.exitCode(), none.err());
        assertFalse(java.nio.file.Files.exists(empty.resolve(NightlySchedule.FILE)), "no schedule created");
    }

    @ParameterizedTest
    @ValueSource(strings = {"4.4", "4.4.1-beta", "v4.4.1", "4.04.1", "4.4.1.0", "", "../4.4.1"})
    void onlyExactVersionsAreAccepted(String version) {
        assertThrows(InvalidInputException.class, () -> NightlySchedule.empty().addNextVersions(version));
        assertThrows(InvalidInputException.class, () -> NightlySchedule.empty().removeVersion(version));
    }

    @Test
    void writesTheOriginalsJsonAndKeepsUnknownKeys() {
        byte[] in = "{\"active_nightly_builds\": [\"4.4.1\"], \"zeta\": {\"a\": 1}, \"major_base_versions\": []}"
                .getBytes(StandardCharsets.UTF_8);
        NightlySchedule s = NightlySchedule.parse("test", in);
        assertEquals(
                "{\n"
                        + "    \"active_nightly_builds\": [\n        \"4.4.1\"\n    ],\n"
                        + "    \"major_base_versions\": [],\n"
                        + "    \"minor_base_versions\": [],\n"
                        + "    \"patch_base_versions\": [],\n"
                        + "    \"zeta\": {\"a\": 1}\n"
                        + "}",
                new String(s.toJson(), StandardCharsets.UTF_8));
        assertEquals(s, NightlySchedule.parse("again", s.toJson()));
    }

    @Test
    void rejectsMalformedFilesNamingTheKey() {
        InvalidInputException e = assertThrows(
                InvalidInputException.class,
                () -> NightlySchedule.parse(
                        "f.json", "{\"patch_base_versions\": [\"4.4\"]}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("f.json: patch_base_versions"), e.getMessage());
    }

    @Test
    void plansOneForcedReleasePerBaseNamedByTheNight() {
        var releases = NightlyPlanner.plan(
                schedule(List.of(), List.of("4.4.1"), List.of("4.4.1"), List.of("3.9.0")),
                LocalDate.parse("2026-11-25"));
        assertEquals(
                List.of(
                        "nightly-patch-4.4.1-2026-11-25",
                        "nightly-minor-4.4.1-2026-11-25",
                        "nightly-major-3.9.0-2026-11-25"),
                releases.stream()
                        .map(NightlyPlanner.NightlyRelease::executionName)
                        .toList());
    }

    @Test
    void concurrentUpdatesBothLand() throws Exception {
        NightlyScheduleStore store = new NightlyScheduleStore(new LocalDirStore(root));
        int writers = 8;
        var outcomes = Concurrently.run(writers, i -> () -> store.update(s -> s.addNextVersions("4." + i + ".1")));
        assertTrue(outcomes.stream().allMatch(Concurrently.Outcome::succeeded), outcomes.toString());
        assertEquals(
                writers, store.read().patchBaseVersions().size(), store.read().toString());
    }

    @Test
    void cliRejectsABadVersionAndLeavesTheFileUnchanged() {
        CliResult added = Trees.runCli("nightly", "add-next-versions", "--version", "4.4.0", "--root", root.toString());
        assertEquals(0, added.exitCode(), added.err());
        String before = Trees.read(root.resolve(NightlySchedule.FILE));
        CliResult bad = Trees.runCli("nightly", "remove-version", "--version", "4.4", "--root", root.toString());
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("'4.4' is not an x.y.z version"), bad.err());
        assertEquals(before, Trees.read(root.resolve(NightlySchedule.FILE)));
        CliResult shown = Trees.runCli("nightly", "show", "--root", root.toString());
        assertEquals(before + "\n", shown.out());
    }
}
