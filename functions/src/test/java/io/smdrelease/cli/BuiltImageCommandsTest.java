package io.smdrelease.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.testsupport.Locks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** End-to-end runs of check-image-variant and generate-sbom on a checkout holding the real 4.4.0 locks. */
class BuiltImageCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    Path versionDir;

    @BeforeEach
    void checkoutWithTheLocks() throws IOException {
        versionDir = Files.createDirectories(root.resolve("build_artifacts/v4/v4.4/v4.4.0"));
        Files.copy(Locks.dir().resolve("gpu.env.out"), versionDir.resolve("gpu.env.out"));
        Files.copy(Locks.dir().resolve("cpu.env.out"), versionDir.resolve("cpu.env.out"));
    }

    private CliRun run(String command, String type, String... more) {
        List<String> args = new ArrayList<>(
                List.of(command, "--root", root.toString(), "--target-patch-version", "4.4.0", "--image-type", type));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpu", "cpu"})
    void checkImageVariant_realLocksPass(String type) {
        CliRun run = run("check-image-variant", type);
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("variant gate passed for " + type + " (" + type + ".env.out)"), run.out());
    }

    @Test
    void checkImageVariant_cpuTensorflowInTheGpuImage_exits2NamingItsBuild() throws IOException {
        Files.write(versionDir.resolve("gpu.env.out"), Locks.swap(Locks.read("gpu"), Locks.read("cpu"), "tensorflow"));
        CliRun run = run("check-image-variant", "gpu");
        assertEquals(2, run.exitCode(), run.out());
        assertTrue(run.err().startsWith("error: variant gate failed for gpu (gpu.env.out): 1 of "), run.err());
        assertTrue(run.err().contains("tensorflow 2.19.1 (build cpu_py312h69ecde4_52: not a CUDA build"), run.err());
        assertTrue(run.err().contains(". Fix: pin the CUDA builds in gpu.pinned_env.in"), run.err());
        assertEquals(1, run.err().lines().count(), "one line: " + run.err());
    }

    @Test
    void checkImageVariant_json_printsTheReportAndStillFails() throws Exception {
        Files.write(versionDir.resolve("cpu.env.out"), Locks.swap(Locks.read("cpu"), Locks.read("gpu"), "pytorch"));
        CliRun run = run("check-image-variant", "cpu", "--json");
        assertEquals(2, run.exitCode());
        JsonNode report = JSON.readTree(run.out());
        assertFalse(report.get("passed").asBoolean());
        assertEquals("pytorch", report.at("/findings/0/name").asText());
        assertEquals(
                "cuda129_mkl_py312_had1c889_302", report.at("/findings/0/build").asText());
        assertTrue(report.get("summary").asText().startsWith("variant gate failed for cpu"), report.toString());
    }

    @Test
    void checkImageVariant_notBuilt_exits2() throws IOException {
        Files.delete(versionDir.resolve("cpu.env.out"));
        CliRun run = run("check-image-variant", "cpu");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("cpu.env.out is missing"), run.err());
        CliRun badType = run("check-image-variant", "tpu");
        assertEquals(2, badType.exitCode());
        assertTrue(badType.err().contains("image type 'tpu' is not one of [gpu, cpu]"), badType.err());
    }

    @Test
    void generateSbom_writesAValidBomBesideTheEnvOut() throws Exception {
        String digest = "sha256:" + "ab".repeat(32);
        CliRun run = run("generate-sbom", "gpu", "--image-digest", digest);
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(
                run.out().startsWith("wrote build_artifacts/v4/v4.4/v4.4.0/gpu.sbom.cdx.json: CycloneDX 1.6"),
                run.out());
        byte[] sbom = Files.readAllBytes(versionDir.resolve("gpu.sbom.cdx.json"));
        assertEquals(List.of(), new JsonParser().validate(sbom, Version.VERSION_16));
        assertEquals(
                digest, JSON.readTree(sbom).at("/metadata/component/bom-ref").asText());
    }

    @Test
    void generateSbom_badDigest_exits2NamingTheFlag_andWritesNothing() {
        CliRun run = run("generate-sbom", "cpu", "--image-digest", "sha256:nothex");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().startsWith("error: --image-digest 'sha256:nothex' is not a manifest digest"), run.err());
        assertFalse(Files.exists(versionDir.resolve("cpu.sbom.cdx.json")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"check-image-variant", "generate-sbom"})
    void help_listsTheFlagsAndExitCodesWithoutFormatWarnings(String command) {
        // picocli formats help texts with String.format and, when one is no valid format, warns on System.err
        PrintStream systemErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        CliRun run;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            run = CliRun.of(command, "--help");
        } finally {
            System.setErr(systemErr);
        }
        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("--image-type=TYPE"), run.out());
        assertTrue(run.out().contains("Exit codes:"), run.out());
        assertEquals("", run.err() + captured.toString(StandardCharsets.UTF_8));
    }
}
