package io.smdrelease.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.release.ReleaseCheck;
import io.smdrelease.release.ReleaseInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The release commands' flags and help, without AWS: a bad flag or input exits 2 naming the flag and the fix before
 * any call (no region or credentials are configured here, so a call would fail differently).
 */
class ReleaseCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    private static CliRun release(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "release";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRun.of(all);
    }

    private static void assertUserError(CliRun run, String... words) {
        assertEquals(ExitCode.USER_ERROR.code(), run.exitCode(), run.out() + run.err());
        for (String word : words) {
            assertTrue(run.err().contains(word), "'" + word + "' in: " + run.err());
        }
    }

    @ParameterizedTest
    @CsvSource({"start", "watch", "list", "status", "approve", "reject", "promote", "rollback", "yank"})
    void everySubcommand_hasHelpWithTheExitCodes(String command) {
        CliRun help = release(command, "--help");
        assertEquals(0, help.exitCode(), help.err());
        assertTrue(help.out().contains("Usage: smd-release release " + command), help.out());
        assertTrue(help.out().contains("Exit codes:"), help.out());
        assertTrue(help.out().contains("--region"), "AWS settings the AWS CLI way: " + help.out());
        assertTrue(help.out().contains("--profile"), help.out());
        assertTrue(
                help.out().replaceAll("\\s+", " ").contains(" 3 " + ExitCode.BUILD_FAILED.description()), help.out());
    }

    @Test
    void releaseHelp_listsTheSubcommands() {
        CliRun help = release("--help");
        assertEquals(0, help.exitCode(), help.err());
        for (String command : List.of("start", "watch", "list", "status", "approve", "reject", "promote", "yank")) {
            assertTrue(help.out().contains("  " + command), command + " in " + help.out());
        }
    }

    @Test
    void start_refusesTheInputInFlagWords() {
        assertUserError(release("start", "--release-type", "patch"), "--release-type", "--base-patch-version", "alone");
        assertUserError(
                release("start", "--target-patch-version", "1.2.0", "--release-type", "patch"),
                "--target-patch-version names an existing version and goes alone: drop --release-type");
        assertUserError(
                release("start", "--release-type", "patch", "--base-patch-version", "latest", "--promote"),
                "--promote needs --target-patch-version, the version whose candidates to promote",
                "e.g. --target-patch-version 4.4.2 --promote");
        assertUserError(release("start", "--target-patch-version", "1.2.0", "--promote", "--force"), "drop --force");
        assertUserError(
                release("start", "--target-patch-version", "1.2.0", "--candidate-only", "--approval"),
                "--approval asks before promoting, and --candidate-only promotes nothing");
        assertUserError(
                release(
                        "start",
                        "--release-type",
                        "patch",
                        "--base-patch-version",
                        "1.2.0",
                        "--target-ecr-repo",
                        "not a repo"),
                "--target-ecr-repo entry 'not a repo'");
        assertUserError(
                release(
                        "start",
                        "--release-type",
                        "patch",
                        "--base-patch-version",
                        "1.2.0",
                        "--registry-region",
                        "mars"),
                "--registry-region 'mars' is not an AWS region");
        assertUserError(release("start", "--release-type", "hotfix", "--base-patch-version", "1.2.0"), "hotfix");
        assertUserError(
                release("start", "--release-type", "patch", "--base-patch-version", "1.2.0", "--image-type", "CPU"),
                "--image-type entry 'CPU'");
    }

    @Test
    void start_withInputJson_speaksOfItsFields() throws Exception {
        assertUserError(
                release("start", "--input", "{\"releaseTyp\":\"patch\"}"), "unknown input field(s) [releaseTyp]");
        assertUserError(
                release("start", "--input", "{\"promote\":true,\"releaseType\":\"patch\",\"basePatchVersion\":\"1\"}"),
                "promote needs targetPatchVersion");
        Path file = work.resolve("input.json");
        Files.writeString(file, "[1]");
        assertUserError(release("start", "--input", file.toString()), "must be a JSON object");
        assertUserError(release("start", "--input", work.resolve("missing.json").toString()), "neither a JSON");
        assertUserError(release("start", "--input", "{\"force\":true}", "--force"), "drop --force or drop --input");
        assertUserError(release("start", "--input", "{nope"), "not valid JSON");
    }

    @Test
    void start_refusesBadCommandFlags() {
        String[] valid = {"--release-type", "patch", "--base-patch-version", "1.2.0"};
        assertUserError(release(concat("start", "--state-machine", "smd-release-release", valid)), "--state-machine");
        assertUserError(release(concat("start", "--name", "a name", valid)), "--name 'a name'");
        assertUserError(release(concat("start", "--name-prefix", "a/b", valid)), "--name-prefix");
        assertUserError(release(concat("start", "--region", "nowhere", valid)), "--region 'nowhere'");
        assertUserError(release(concat("start", "--interval", "0", valid)), "--interval 0");
        assertUserError(release("start", "--no-such-flag"), "--no-such-flag");
    }

    @Test
    void startDryRun_withoutAStore_printsTheInputAndTheNameAndStartsNothing() {
        CliRun run = release(
                "start", "--release-type", "patch", "--base-patch-version", "1.2.0", "--skip-tests", "--dry-run");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("Dry run: no execution started."), run.out());
        assertTrue(run.out().contains("patch of 1.2.0"), run.out());
        assertTrue(
                run.out()
                        .contains(
                                "Input:    {\"releaseType\":\"patch\",\"basePatchVersion\":\"1.2.0\",\"skipTests\":true}"),
                run.out());
        assertTrue(run.out().contains("Name:     patch-1.2.1-from-1.2.0-"), run.out());
    }

    @Test
    void executionNames_sayWhatTheRunDoes() throws Exception {
        Instant at = Instant.parse("2026-01-02T10:15:00Z");
        ReleaseInput latest =
                ReleaseInput.parse(JSON.readTree("{\"releaseType\":\"patch\",\"basePatchVersion\":\"latest\"}"));
        assertEquals("patch-from-latest-20260102T101500Z", ReleaseStartCommand.defaultName(latest, null, at));
        assertEquals(
                "patch-4.4.1-from-latest-20260102T101500Z",
                ReleaseStartCommand.defaultName(latest, new ReleaseCheck("4.4.1", "4.4.0", List.of("cpu"), false), at));
        ReleaseInput promote = ReleaseInput.parse(JSON.readTree(
                "{\"targetPatchVersion\":\"4.4.1\",\"promote\":true,\"targetEcrRepos\":[\"localhost:5000/r\"]}"));
        assertEquals("promote-4.4.1-20260102T101500Z", ReleaseStartCommand.defaultName(promote, null, at));
        ReleaseInput nightly = ReleaseInput.parse(
                JSON.readTree("{\"releaseType\":\"minor\",\"basePatchVersion\":\"4.4.0\",\"candidateOnly\":true}"));
        assertEquals(
                "candidate-minor-4.5.0-from-4.4.0-20260102T101500Z",
                ReleaseStartCommand.defaultName(nightly, null, at));
    }

    @Test
    void watch_needsOneExecution() {
        assertUserError(release("watch"), "pass its ARN", "--latest");
        assertUserError(release("watch", "my-execution"), "not an execution ARN");
        assertUserError(
                release("watch", "arn:aws:states:us-east-1:123456789012:execution:smd-release-release:x", "--latest"),
                "not both");
        assertUserError(
                release(
                        "watch",
                        "arn:aws:states:us-east-1:123456789012:execution:smd-release-release:x",
                        "--log-lines",
                        "-1"),
                "--log-lines -1");
    }

    @Test
    void answersAndAliases_nameTheirMissingFlags() {
        assertUserError(release("approve"), "--target-patch-version");
        assertUserError(release("reject", "--target-patch-version", "1.2.0"), "--reason");
        assertUserError(release("rollback", "--alias", "latest-cpu"), "--to");
        assertUserError(release("yank", "1.2.0"), "--reason");
        assertUserError(release("status"), "VERSION");
        assertUserError(release("status", "one.two", "--root", work.toString()), "one.two");
    }

    @Test
    void listTable_showsInstantsToTheSecond() {
        assertEquals("2026-12-02T19:40:20Z", ReleaseStatusCommands.toSeconds("2026-12-02T19:40:20.255094871Z"));
        assertEquals("2030-01-01T00:00:00Z", ReleaseStatusCommands.toSeconds("2030-01-01T00:00:00Z"));
        assertEquals("-", ReleaseStatusCommands.toSeconds(null));
        assertEquals("yesterday", ReleaseStatusCommands.toSeconds("yesterday"));
    }

    @Test
    void promote_needsTheReleaseRepositories() {
        assertUserError(
                release("promote", "--target-patch-version", "1.2.0", "--root", work.toString()),
                "--target-ecr-repo is missing");
        assertUserError(
                release(
                        "promote",
                        "--target-patch-version",
                        "1.2.0",
                        "--target-ecr-repo",
                        "127.0.0.1:5000/a",
                        "--approval"),
                "--approval waits in the pipeline");
        assertUserError(
                release("promote", "--target-patch-version", "1.2.0", "--target-ecr-repo", "Not/A:repo"),
                "--target-ecr-repo entry 'Not/A:repo'");
    }

    @Test
    void flagWords_translateFieldsAndExamples() {
        assertEquals(
                "--promote needs --target-patch-version, e.g. --target-patch-version 4.4.2 --promote",
                InputFlagWords.say(
                        "promote needs targetPatchVersion, e.g. {\"targetPatchVersion\":\"4.4.2\",\"promote\":true}"));
        assertEquals(
                "--registry-region 'x' is not an AWS region", InputFlagWords.say("region 'x' is not an AWS region"));
        assertEquals(
                "--image-type must list distinct image types, e.g. --image-type cpu --image-type gpu",
                InputFlagWords.say(
                        "imageTypes must list distinct image types, e.g. {\"imageTypes\":[\"cpu\",\"gpu\"]}"));
        assertFalse(
                InputFlagWords.say("the base-patch-version of forced builds").contains("--"), "only whole words");
    }

    private static String[] concat(String first, String flag, String value, String... rest) {
        String[] all = new String[rest.length + 3];
        all[0] = first;
        all[1] = flag;
        all[2] = value;
        System.arraycopy(rest, 0, all, 3, rest.length);
        return all;
    }
}
