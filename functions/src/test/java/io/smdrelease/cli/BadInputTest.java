package io.smdrelease.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.nightly.NightlySchedule;
import io.smdrelease.testsupport.Trees;
import io.smdrelease.testsupport.Trees.CliResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every bad input exits 2 with a message that names the problem, and leaves the tree byte-identical: no partial
 * version, no stray template.
 */
class BadInputTest {
    private static final String BASE = "build_artifacts/v1/v1.2/v1.2.0";

    @TempDir
    Path root;

    @BeforeEach
    void sampleTreeWithTraps() {
        Trees.copy(Trees.examples(), root);
        // an existing 1.2.1, a prerelease base, a base of an unconfigured major, and bases with broken files
        Trees.copy(root.resolve(BASE), root.resolve("build_artifacts/v1/v1.2/v1.2.1"));
        Trees.copy(Trees.examples().resolve(BASE), root.resolve("build_artifacts/v1/v1.2/v1.2.0/v1.2.0-beta"));
        Trees.copy(root.resolve(BASE), root.resolve("build_artifacts/v9/v9.0/v9.0.0"));
        Trees.copy(root.resolve(BASE), root.resolve("build_artifacts/v1/v1.4/v1.4.0"));
        Trees.write(root.resolve("build_artifacts/v1/v1.4/v1.4.0/cpu.env.in"), "numpy\n>=1.0\n");
        Trees.copy(root.resolve(BASE), root.resolve("build_artifacts/v1/v1.5/v1.5.0"));
        Trees.write(root.resolve("build_artifacts/v1/v1.5/v1.5.1/gpu.additional_packages_env.in"), "# nothing\n");
        Trees.copy(root.resolve(BASE), root.resolve("build_artifacts/v1/v1.6/v1.6.0"));
        Trees.write(
                root.resolve("build_artifacts/v1/v1.6/v1.6.0/cpu.env.in"),
                Trees.read(root.resolve(BASE + "/cpu.env.out")));
        Trees.copy(root.resolve(BASE), root.resolve("build_artifacts/v1/v1.7/v1.7.0"));
        Trees.write(
                root.resolve("build_artifacts/v1/v1.7/v1.7.0/cpu.env.out"),
                "@EXPLICIT\nhttps://conda.anaconda.org/conda-forge/linux-64/numpy-abc-py312_0.conda#00\n");
        Trees.copy(root.resolve(BASE), root.resolve("build_artifacts/v1/v1.8/v1.8.0"));
        Trees.write(root.resolve("build_artifacts/v1/v1.8/v1.8.1"), "a file where the version directory goes\n");
        Trees.write(root.resolve(NightlySchedule.FILE), "{\"active_nightly_builds\": [\"1.2.1\",\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "not a version | create-patch-version-artifacts --base-patch-version abc | 'abc' is not a version",
                "one field | create-patch-version-artifacts --base-patch-version 4 | '4' is not a version",
                "non-numeric field | create-patch-version-artifacts --base-patch-version 1.2.x | '1.2.x' is not a version",
                "leading zero | create-patch-version-artifacts --base-patch-version 1.02.0 | '1.02.0' is not a version",
                "empty | create-patch-version-artifacts --base-patch-version '' | '' is not a version",
                "build metadata | create-patch-version-artifacts --base-patch-version 1.2.0+build.1 | build metadata",
                "path traversal | create-patch-version-artifacts --base-patch-version ../../x | '../../x' is not a version",
                "traversal after a version | create-patch-version-artifacts --base-patch-version 1.2.0/../../../etc | is not a version",
                "missing base | create-patch-version-artifacts --base-patch-version 1.2.9 | base version 1.2.9 has no artifacts",
                "target exists | create-patch-version-artifacts --base-patch-version 1.2.0 | pass --force to replace it",
                "prerelease on prerelease | create-patch-version-artifacts --base-patch-version 1.2.0-beta --pre-release-identifier rc | cannot be used with the prerelease base",
                "dotted prerelease | create-patch-version-artifacts --base-patch-version 1.2.0 --pre-release-identifier rc.1 | --pre-release-identifier 'rc.1' has a '.', which the versions' parsing cuts off",
                "traversal in prerelease | create-patch-version-artifacts --base-patch-version 1.2.0 --pre-release-identifier ../../evil --force | is not a SemVer prerelease",
                "unknown major | create-patch-version-artifacts --base-patch-version 9.0.0 | no image configuration for major version 9 in the built-in image-configs.json (known: [0, 1, 2, 3, 4]): put an image-configs.json with an entry \"9\" at",
                "malformed env line | create-patch-version-artifacts --base-patch-version 1.4.0 | build_artifacts/v1/v1.4/v1.4.0/cpu.env.in line 2",
                "empty additional file | create-patch-version-artifacts --base-patch-version 1.5.0 | lists no package",
                "explicit base env.in | create-patch-version-artifacts --base-patch-version 1.6.0 | is an explicit package list",
                "unboundable env.out version | create-patch-version-artifacts --base-patch-version 1.7.0 | cannot compute an upper bound for numpy abc",
                "target is a file | create-patch-version-artifacts --base-patch-version 1.8.0 --force | is not a directory",
                "no template for x.0 | create-major-version-artifacts --base-patch-version 1.2.0 | Cannot auto-create template for v2.0",
                "no previous template | create-minor-version-artifacts --base-patch-version 1.4.0 | Previous minor template template/v1/v1.4 does not exist",
                "major field overflows | create-patch-version-artifacts --base-patch-version 99999999999.0.0 | '99999999999.0.0' is not a version: its fields have at most 9 digits",
                "patch field overflows | create-patch-version-artifacts --base-patch-version 1.2.2147483647 | '1.2.2147483647' is not a version: its fields have at most 9 digits",
                "target version overflows | tags --target-patch-version 1.2.99999999999 | '1.2.99999999999' is not a version",
                "huge prerelease | create-patch-version-artifacts --base-patch-version 1.2.0 --pre-release-identifier LONG5000 | --pre-release-identifier 'aaaaaaaaaaaaaaaaaaaaaaaa…' (5000 characters) is too long: use at most 64 characters",
                "huge prerelease in a version | tags --target-patch-version 1.2.0-LONG5000 | (5006 characters) is not a version: a prerelease has at most 64 characters",
                "absent base of an unconfigured major | create-patch-version-artifacts --base-patch-version 7.0.0 | base version 7.0.0 has no artifacts",
                "absent base of a major release to an unconfigured major | create-major-version-artifacts --base-patch-version 6.1.0 | base version 6.1.0 has no artifacts",
                "broken nightly schedule | nightly show | nightly-schedule.json is not valid JSON at line 2, column 1: Unexpected end-of-input",
                "broken nightly schedule, update | nightly remove-version --version 1.2.1 | nightly-schedule.json is not valid JSON at line 2, column 1",
                "build without source-version.txt | build --target-patch-version 1.2.1 | build_artifacts/v1/v1.2/v1.2.1/source-version.txt is missing",
                "build to a bad repository | build --target-patch-version 1.2.1 --target-ecr-repo Not/A:repo | --target-ecr-repo 'Not/A:repo' is not a repository",
                "build to a repository twice | build --target-patch-version 1.2.1 --target-ecr-repo localhost:5000/a --target-ecr-repo localhost:5000/a | --target-ecr-repo names localhost:5000/a twice",
                "build in a bad region | build --target-patch-version 1.2.1 --region mars | --region 'mars' is not an AWS region",
                "build allowing a non-package | build --target-patch-version 1.2.1 --allow-regression pcre2=10.44 | --allow-regression 'pcre2=10.44' is not a conda package name",
                "missing required flag | create-patch-version-artifacts | Missing required option: '--base-patch-version",
                "unknown flag | create-patch-version-artifacts --base-patch-version 1.2.0 --bogus | Unknown option: '--bogus'",
                "unknown command | create-everything | Unmatched argument",
            })
    void exitsTwoWithAClearMessageAndWritesNothing(String name, String commandLine, String expectedMessage) {
        Map<String, String> before = Trees.snapshot(root);
        List<String> args = new ArrayList<>();
        for (String arg : commandLine.split(" ")) {
            args.add(arg.equals("''") ? "" : arg.replace("LONG5000", "a".repeat(5000)));
        }
        args.add("--root");
        args.add(root.toString());

        CliResult result = Trees.runCli(args.toArray(String[]::new));

        assertEquals(2, result.exitCode(), name + ": " + result.err() + result.out());
        assertTrue(result.err().contains(expectedMessage), name + ": " + result.err());
        if (result.err().startsWith("error: ")) {
            assertFalse(result.err().strip().contains("\n"), "one line: " + result.err());
        }
        assertEquals(before, Trees.snapshot(root), name + ": the tree changed");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "create | create-patch-version-artifacts --base-patch-version 1.2.0",
                "nightly | nightly remove-version --version 1.2.1",
                "report | generate-dependency-report --target-patch-version 1.3.0",
            })
    void aRootThatIsMissingOrAFile_isNamed(String name, String commandLine) {
        Map<String, String> before = Trees.snapshot(root);
        Path missing = root.resolve("no-such-dir");
        Path file = root.resolve("assets/aws-cli-public-key.asc");
        for (Path bad : List.of(missing, file)) {
            List<String> args = new ArrayList<>(List.of(commandLine.split(" ")));
            args.addAll(List.of("--root", bad.toString()));
            CliResult result = Trees.runCli(args.toArray(String[]::new));
            assertEquals(2, result.exitCode(), name + ": " + result.err());
            String expected = bad == missing
                    ? "error: --root " + bad + " does not exist: pass the distribution repository checkout"
                    : "error: --root " + bad + " is a file, not a directory: pass the distribution repository checkout";
            assertTrue(result.err().startsWith(expected), name + ": " + result.err());
            assertOneLine(result);
        }
        assertEquals(before, Trees.snapshot(root), "nothing created");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "create | create-patch-version-artifacts --base-patch-version 1.2.0",
                "tags | tags --target-patch-version 1.2.0",
                "plan-build | plan-build --target-patch-version 1.2.0",
                "changelog | generate-changelog --target-patch-version 1.2.1",
                "release note | generate-version-release-note --target-patch-version 1.2.0 --image-type cpu",
            })
    void aBrokenImageConfigsFile_isNamedWithTheEntryAndTheFix(String name, String commandLine) {
        Trees.write(root.resolve("image-configs.json"), "{\"1\": [{\"imageType\": \"cpu\", \"envOutFile\": 7}]}");
        Map<String, String> before = Trees.snapshot(root);
        List<String> args = new ArrayList<>(List.of(commandLine.split(" ")));
        args.addAll(List.of("--root", root.toString()));
        CliResult result = Trees.runCli(args.toArray(String[]::new));
        assertEquals(2, result.exitCode(), name + ": " + result.err());
        assertEquals(
                "error: " + root + "/image-configs.json: \"1\"[0].envOutFile must be a string",
                result.err().strip(),
                name);
        assertEquals(before, Trees.snapshot(root), name + ": the tree changed");
    }

    /**
     * The original writes unbounded specs for a base without env.out; a checkout does the same and says so per package
     * (a bucket, which tracks releases, refuses such a base: BucketCommandsIT).
     */
    @org.junit.jupiter.api.Test
    void aBaseWithoutEnvOut_inACheckout_getsUnboundedSpecsAndAWarningPerPackage() throws Exception {
        Trees.copy(root.resolve(BASE), root.resolve("build_artifacts/v1/v1.10/v1.10.0"));
        java.nio.file.Files.delete(root.resolve("build_artifacts/v1/v1.10/v1.10.0/cpu.env.out"));
        CliResult result = Trees.runCli(
                "create-patch-version-artifacts", "--base-patch-version", "1.10.0", "--root", root.toString());
        assertEquals(0, result.exitCode(), result.err());
        List<String> warnings = result.err().lines().toList();
        assertEquals(5, warnings.size(), result.err());
        assertEquals(
                "warning: numpy gets no version bound in cpu.env.in: build_artifacts/v1/v1.10/v1.10.0/cpu.env.out is"
                        + " missing, so the base's installed version is unknown",
                warnings.get(1));
        assertTrue(
                Trees.read(root.resolve("build_artifacts/v1/v1.10/v1.10.1/cpu.env.in"))
                        .endsWith(
                                "\nconda-forge::numpy\nconda-forge::scikit-learn\nconda-forge::jupyterlab\nconda-forge::tzdata\n"));
    }

    @org.junit.jupiter.api.Test
    void unreachableRepodata_saysWhy() throws Exception {
        int port;
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/conda-forge/linux-64/repodata.json";
        Map<String, String> before = Trees.snapshot(root);
        CliResult result = Trees.runCli(
                "generate-staleness-report",
                "--target-patch-version",
                "1.2.0",
                "--repodata",
                url,
                "--root",
                root.toString());
        assertEquals(2, result.exitCode(), result.err());
        assertTrue(
                result.err()
                        .startsWith("error: could not read repodata " + url + ": could not connect to 127.0.0.1:" + port
                                + " (connection refused)"),
                result.err());
        assertFalse(result.err().contains("null"), result.err());
        assertOneLine(result);
        assertEquals(before, Trees.snapshot(root));
    }

    @org.junit.jupiter.api.Test
    void aBrokenNightlySchedule_leaksNoParserInternals() {
        CliResult result = Trees.runCli("nightly", "show", "--root", root.toString());
        assertEquals(2, result.exitCode(), result.err());
        for (String internal : List.of("REDACTED", "StreamReadFeature", "Source:")) {
            assertFalse(result.err().contains(internal), result.err());
        }
        assertOneLine(result);
    }

    private static void assertOneLine(CliResult result) {
        assertFalse(result.err().strip().contains("\n"), "one line: " + result.err());
    }

    @org.junit.jupiter.api.Test
    void aFailingWriteIsAnInternalErrorAndLeavesNoVersion() {
        Trees.copy(Trees.examples().resolve(BASE), root.resolve("build_artifacts/v1/v1.9/v1.9.0"));
        Trees.copy(Trees.examples().resolve("template/v1/v1.2"), root.resolve("template/v1/v1.9"));
        Trees.write(root.resolve("build_artifacts/v1/v1.10"), "a file where the minor's directory goes\n");
        Map<String, String> before = Trees.snapshot(root);
        CliResult result = Trees.runCli(
                "create-minor-version-artifacts", "--base-patch-version", "1.9.0", "--root", root.toString());
        assertEquals(1, result.exitCode(), result.err());
        assertTrue(result.err().startsWith("internal error: "), result.err());
        assertTrue(result.err().contains("--stacktrace"), result.err());
        assertEquals(before, Trees.snapshot(root));
    }
}
