package io.smdrelease.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.TestTrees;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * End-to-end runs of generate-staleness-report, generate-dependency-report and plan-release --repodata on the
 * repodata fixtures (generate-size-report needs ECR: GenerateSizeReportIT).
 */
class ReportCommandsTest {
    static final Path REPO = TestTrees.resource("repodata/repo");
    static final String REPODATA = TestTrees.resource("repodata/channel/linux-64/repodata.json") + ","
            + TestTrees.resource("repodata/channel/noarch/repodata.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void staleness_printsMarkdownPerImageType() {
        CliRun run = CliRun.of(
                "generate-staleness-report",
                "--root",
                REPO.toString(),
                "--target-patch-version",
                "1.1.0",
                "--repodata",
                REPODATA);
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("\n# Staleness Report: 1.1.0(gpu)\n\n"), run.out());
        assertTrue(run.out().contains("\n# Staleness Report: 1.1.0(cpu)\n"), run.out());
        assertTrue(run.out().contains("${\\color{red}pandas}$|2.2.3|2.3.0\n"), run.out());
        assertTrue(run.out().contains("\nnumpy|1.26.5|1.26.5\n"), run.out());
    }

    @Test
    void staleness_json() throws Exception {
        CliRun run = CliRun.of(
                "generate-staleness-report",
                "--root",
                REPO.toString(),
                "--target-patch-version",
                "1.0.1",
                "--json",
                "--repodata",
                TestTrees.resource("repodata/channel/linux-64/repodata.json").toString(),
                "--repodata",
                TestTrees.resource("repodata/channel/noarch/repodata.json").toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode report = JSON.readTree(run.out());
        assertEquals("patch", report.get("releaseType").asText());
        assertEquals(2, report.get("repodata").size(), "repeated --repodata");
        JsonNode numpy = report.get("images").get(1).get("rows").get(0);
        assertEquals("numpy", numpy.get("name").asText());
        assertEquals("1.26.5", numpy.get("latestRelevant").asText());
        assertTrue(numpy.get("stale").asBoolean());
    }

    @Test
    void malformedRepodata_exits2NamingFileAndPosition() {
        Path bad = TestTrees.resource("repodata/malformed/bad-token.json");
        CliRun run = CliRun.of(
                "generate-staleness-report",
                "--root",
                REPO.toString(),
                "--target-patch-version",
                "1.0.1",
                "--repodata",
                bad.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().startsWith("error: " + bad + ": malformed repodata JSON at line 5, column 34"), run.err());
    }

    @Test
    void missingRepodataFile_exits2() {
        CliRun run = CliRun.of(
                "generate-staleness-report",
                "--root",
                REPO.toString(),
                "--target-patch-version",
                "1.0.1",
                "--repodata",
                "/nonexistent/repodata.json.zst");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().startsWith("error: could not read repodata /nonexistent/repodata.json.zst"), run.err());
    }

    @Test
    void dependency_minorTarget() {
        CliRun run = CliRun.of(
                "generate-dependency-report",
                "--root",
                REPO.toString(),
                "--target-patch-version",
                "1.1.0",
                "--repodata",
                REPODATA);
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("\n# Python Package Dependency Report (cpu)\n"), run.out());
        assertTrue(run.out().contains("newpkg|0.3.0|python >=3.9, requests >=2.0, tqdm >=4.0\n"), run.out());
    }

    @Test
    void dependency_patchTarget_saysItIsNotCoveredWithoutReadingRepodata() {
        CliRun run = CliRun.of(
                "generate-dependency-report",
                "--root",
                REPO.toString(),
                "--target-patch-version",
                "1.0.1",
                "--repodata",
                "/nonexistent/repodata.json");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(
                "No dependency report: 1.0.1 is a patch release; the report covers minor and major releases"
                        + " only.\n",
                run.out());
    }

    @Test
    void sizeReport_badAccount_exits2BeforeCallingAws() {
        CliRun run = CliRun.of(
                "generate-size-report",
                "--root",
                REPO.toString(),
                "--target-patch-version",
                "1.1.0",
                "--staging-repo-name",
                "smd-staging",
                "--staging-account",
                "12345",
                "--repodata",
                REPODATA);
        assertEquals(2, run.exitCode());
        assertEquals("error: --staging-account '12345' is not a 12-digit AWS account id\n", run.err());
    }

    @Test
    void sizeReport_requiresTheStagingRepository() {
        CliRun run = CliRun.of("generate-size-report", "--root", REPO.toString(), "--target-patch-version", "1.1.0");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--staging-repo-name"), run.err());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {"generate-staleness-report", "generate-size-report", "generate-dependency-report", "plan-release"
            })
    void help_listsRepodataAndExitCodesWithoutFormatWarnings(String command) {
        // picocli formats help texts with String.format and, when one is no valid format, warns on System.err
        java.io.PrintStream systemErr = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        CliRun run;
        try {
            System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            run = CliRun.of(command, "--help");
        } finally {
            System.setErr(systemErr);
        }
        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("--repodata=PATH|URL"), run.out());
        assertTrue(run.out().contains("Exit codes:"), run.out());
        assertEquals("", run.err() + captured.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void planRelease_withRepodata_showsNewestInBoundsAndSaysItIsNoSolve() {
        CliRun run = CliRun.of(
                "plan-release",
                "--root",
                REPO.toString(),
                "--base-patch-version",
                "1.1.0",
                "--release-type",
                "minor",
                "--repodata",
                REPODATA);
        assertEquals(0, run.exitCode(), run.err());
        String out = run.out();
        assertTrue(out.contains("## cpu: newest in bounds"), out);
        assertTrue(out.matches("(?s).*\npandas +>=2\\.2\\.3,<3\\.0\\.0 +2\\.2\\.3 +2\\.3\\.0 +newer\n.*"), out);
        assertTrue(out.matches("(?s).*\ncupy +\\* +- +13\\.4\\.0 +new\n.*"), out);
        assertTrue(out.matches("(?s).*\nabsent-pkg +\\* +- +- +not in the index\n.*"), out);
        assertTrue(out.contains("Would change: cupy pandas jupyterlab\n"), out);
        assertTrue(out.contains("Not a full solve"), out);
    }

    @Test
    void planRelease_withRepodata_json() throws Exception {
        CliRun run = CliRun.of(
                "plan-release",
                "--root",
                REPO.toString(),
                "--base-patch-version",
                "1.0.1",
                "--release-type",
                "patch",
                "--json",
                "--repodata",
                REPODATA);
        assertEquals(0, run.exitCode(), run.err());
        JsonNode doc = JSON.readTree(run.out());
        assertEquals("1.0.2", doc.get("preview").get("targetVersion").asText());
        JsonNode cpu = doc.get("newestInBounds").get("images").get(1);
        assertEquals("numpy", cpu.get("changing").get(0).asText());
        assertEquals(1, cpu.get("changing").size());
        JsonNode numpy = cpu.get("packages").get(1);
        assertEquals(">=1.26.4,<1.27.0", numpy.get("bounds").asText());
        assertEquals("1.26.5", numpy.get("newest").asText());
        assertTrue(doc.get("newestInBounds").get("note").asText().startsWith("Not a full solve"));
    }

    @Test
    void planRelease_withoutRepodata_isUnchanged() throws Exception {
        CliRun run = CliRun.of(
                "plan-release",
                "--root",
                REPO.toString(),
                "--base-patch-version",
                "1.0.1",
                "--release-type",
                "patch",
                "--json");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("1.0.2", JSON.readTree(run.out()).get("targetVersion").asText());
    }
}
