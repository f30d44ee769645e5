package io.smdrelease.gates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.artifacts.ImageConfig;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.error.GateFailedException;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.error.MissingArtifactException;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.testsupport.Locks;
import io.smdrelease.version.SemVer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The variant gate on the real 4.4.0 locks and on variants derived from them. */
class VariantGateTest {
    private static final ImageConfigs CONFIGS = ImageConfigs.builtIn();
    private static final ImageConfig GPU = CONFIGS.forType(4, "gpu");
    private static final ImageConfig CPU = CONFIGS.forType(4, "cpu");

    @Test
    void realGpuLock_passes_andKeepsItsCpuOnlyLibarrow() {
        String gpu = Locks.read("gpu");
        assertTrue(Locks.line(gpu, "libarrow").contains("_cpu.conda"), "the gpu lock carries libarrow's _cpu build");
        VariantReport report = VariantGate.check(gpu.getBytes(StandardCharsets.UTF_8), GPU);
        assertTrue(report.passed(), report.summary());
        assertEquals(List.of(), report.absentFrameworks());
        assertEquals(
                "variant gate passed for gpu (gpu.env.out): the 10 of 10 cudaFrameworks it carries are CUDA builds",
                report.summary());
        assertTrue(report.packages() > 900, "all package lines counted: " + report.packages());
    }

    @Test
    void realCpuLock_passes() {
        VariantReport report = VariantGate.check(Locks.read("cpu").getBytes(StandardCharsets.UTF_8), CPU);
        assertTrue(report.passed(), report.summary());
        assertTrue(
                report.summary()
                        .matches("variant gate passed for cpu \\(cpu.env.out\\): none of 9\\d\\d packages"
                                + " is a CUDA build"),
                report.summary());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tensorflow", "pytorch"})
    void gpuLockWithACpuBuildOfAFramework_fails(String framework) {
        String gpu = Locks.read("gpu");
        String cpuLine = Locks.line(Locks.read("cpu"), framework);
        VariantReport report = VariantGate.check(Locks.swap(gpu, Locks.read("cpu"), framework), GPU);

        assertFalse(report.passed());
        assertEquals(1, report.findings().size(), report.summary());
        VariantReport.Finding finding = report.findings().getFirst();
        assertEquals(framework, finding.name());
        assertTrue(cpuLine.contains("-" + finding.version() + "-" + finding.build() + ".conda"), finding.toString());
        assertTrue(finding.build().startsWith("cpu_"), finding.build());
        GateFailedException e = assertThrows(GateFailedException.class, report::validate);
        assertEquals(List.of("variant [gpu]"), e.failedGates());
        assertTrue(
                e.getMessage()
                        .contains(framework + " " + finding.version() + " (build " + finding.build()
                                + ": not a CUDA build"),
                e.getMessage());
        assertTrue(
                e.getMessage().contains("gpu.pinned_env.in (e.g. conda-forge::" + framework + "[build='*cuda*'])"),
                e.getMessage());
    }

    @Test
    void cpuLockWithACudaBuild_fails_namingEachOne() {
        String cpu = Locks.read("cpu");
        String gpu = Locks.read("gpu");
        byte[] withCuda =
                Locks.swap(new String(Locks.swap(cpu, gpu, "pytorch"), StandardCharsets.UTF_8), gpu, "onnxruntime");
        VariantReport report = VariantGate.check(withCuda, CPU);

        assertEquals(
                List.of("pytorch", "onnxruntime"),
                report.findings().stream().map(VariantReport.Finding::name).toList());
        assertEquals("cuda129_mkl_py312_had1c889_302", report.findings().get(0).build());
        assertEquals("py312h5fe9fb3_200_cuda129", report.findings().get(1).build());
        String message =
                assertThrows(GateFailedException.class, report::validate).getMessage();
        assertTrue(message.startsWith("variant gate failed for cpu (cpu.env.out): 2 of "), message);
        assertTrue(
                message.contains("pytorch 2.8.0 (build cuda129_mkl_py312_had1c889_302: a CUDA build, and a cpu"
                        + " image carries none); onnxruntime 1.28.0 (build py312h5fe9fb3_200_cuda129:"),
                message);
        assertTrue(message.contains("cpu.pinned_env.in"), message);
    }

    @Test
    void cpuLockWithTheGpuVariantMutex_fails() {
        byte[] lock = Locks.swap(Locks.read("cpu"), Locks.read("gpu"), "_py-xgboost-mutex");
        VariantReport report = VariantGate.check(lock, CPU);
        assertEquals("gpu_0", report.findings().getFirst().build());
    }

    @Test
    void gpuLockWithoutAFramework_passesAndSaysItIsAbsent() {
        String gpu = Locks.read("gpu");
        String without = gpu.replace(Locks.line(gpu, "catboost") + "\n", "");
        VariantReport report = VariantGate.check(without.getBytes(StandardCharsets.UTF_8), GPU);
        assertTrue(report.passed());
        assertEquals(List.of("catboost"), report.absentFrameworks());
        assertTrue(
                report.summary()
                        .endsWith("the 9 of 10 cudaFrameworks it carries are CUDA builds (not in the"
                                + " image: catboost)"),
                report.summary());
    }

    /** As a gate of the release: one result per candidate, findings and the fix for a failed one. */
    @Test
    void asAGate_judgesEachCandidate() {
        String cpu = Locks.read("cpu");
        String gpu = Locks.read("gpu");
        GateContext context = new GateContext(
                SemVer.of(4, 4, 0),
                null,
                List.of(
                        candidate(GPU, gpu.getBytes(StandardCharsets.UTF_8)),
                        candidate(CPU, Locks.swap(cpu, gpu, "pytorch"))),
                false);

        List<GateResult> results = new VariantGate().evaluate(context);

        assertEquals(2, results.size());
        assertEquals(
                GateResult.passed(
                        "variant", "gpu", "the 10 of 10 cudaFrameworks it carries are CUDA builds", List.of()),
                results.get(0));
        GateResult cpuResult = results.get(1);
        assertEquals(GateStatus.FAILED, cpuResult.status());
        assertTrue(cpuResult.describe().startsWith("variant [cpu]: 1 of "), cpuResult.describe());
        assertEquals(
                List.of("pytorch 2.8.0 (build cuda129_mkl_py312_had1c889_302: a CUDA build, and a cpu image carries"
                        + " none)"),
                cpuResult.findings().subList(0, 1));
        assertTrue(cpuResult.findings().get(1).startsWith("fix: pin the CPU builds in cpu.pinned_env.in"));
    }

    @Test
    void asAGate_aCandidateWithoutEnvOut_cannotBeJudged() {
        GateContext context = new GateContext(SemVer.of(4, 4, 0), null, List.of(candidate(CPU, null)), false);
        MissingArtifactException e =
                assertThrows(MissingArtifactException.class, () -> new VariantGate().evaluate(context));
        assertTrue(e.getMessage().contains("cpu image of 4.4.0: its build exported no cpu.env.out"), e.getMessage());
    }

    private static CandidateImage candidate(ImageConfig config, byte[] envOut) {
        Candidate candidate = new Candidate(
                config.imageType(), "staging", "4.4.0-" + config.imageType(), "sha256:" + "0".repeat(64), null);
        return new CandidateImage(config, candidate, envOut, null);
    }

    @Test
    void cudaBuildStrings() {
        for (String build : List.of(
                "cuda129_mkl_py312_had1c889_302",
                "cuda112py310he33e0d6_200",
                "py312h5fe9fb3_200_cuda129",
                "py3.10_cuda11.8_cudnn8.7.0_0",
                "gpu_0")) {
            assertTrue(VariantGate.isCudaBuild(build), build);
        }
        for (String build : List.of(
                "cpu_py312h69ecde4_52", "h56a6dad_8_cpu", "pyhd8ed1ab_0", "h4f385c5_3", "cudatoolkit_h1", "gpux_1")) {
            assertFalse(VariantGate.isCudaBuild(build), build);
        }
    }

    /** Every real env.out in ../shared/fixtures (majors 1, 3 and 4) passes with its major's configuration. */
    @Test
    void everyRealReleaseInTheFixturesPasses() throws IOException {
        Path fixtures = Locks.dir().getParent().getParent();
        List<Path> envOuts;
        try (Stream<Path> walk = Files.walk(fixtures)) {
            envOuts = walk.filter(p -> p.getFileName().toString().matches("(cpu|gpu)\\.env\\.out"))
                    .filter(p -> p.getParent().getFileName().toString().matches("v\\d+\\.\\d+\\.\\d+"))
                    .sorted()
                    .toList();
        }
        assertTrue(envOuts.size() >= 10, "found the fixtures' env.out files: " + envOuts);
        for (Path envOut : envOuts) {
            int major = Integer.parseInt(
                    envOut.getParent().getFileName().toString().substring(1).split("\\.")[0]);
            String type = envOut.getFileName().toString().substring(0, 3);
            VariantReport report = VariantGate.check(Files.readAllBytes(envOut), CONFIGS.forType(major, type));
            assertTrue(report.passed(), envOut + ": " + report.summary());
            assertEquals(List.of(), report.absentFrameworks(), envOut + ": " + report.summary());
        }
    }

    @Test
    void aLineThatIsNoPackageUrl_isAnInputErrorNamingTheLine() {
        byte[] lock = "@EXPLICIT\nconda-forge::numpy\n".getBytes(StandardCharsets.UTF_8);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> VariantGate.check(lock, CPU));
        assertTrue(
                e.getMessage().startsWith("cpu.env.out line 2: 'conda-forge::numpy' is not an explicit package"),
                e.getMessage());
    }

    @Test
    void fromTheStore_readsTheTypesEnvOut_andAMissingOneSaysBuildItFirst(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("build_artifacts/v4/v4.4/v4.4.0"));
        Files.copy(Locks.dir().resolve("gpu.env.out"), dir.resolve("gpu.env.out"));
        LocalDirStore store = new LocalDirStore(root);

        assertTrue(VariantGate.check(store, CONFIGS, "4.4.0", "gpu").passed());
        MissingArtifactException e =
                assertThrows(MissingArtifactException.class, () -> VariantGate.check(store, CONFIGS, "4.4.0", "cpu"));
        assertTrue(e.getMessage().contains("build_artifacts/v4/v4.4/v4.4.0/cpu.env.out is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("build the cpu image of 4.4.0 first"), e.getMessage());
    }
}
