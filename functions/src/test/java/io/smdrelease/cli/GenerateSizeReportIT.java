package io.smdrelease.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.TestTrees;
import io.smdrelease.aws.ecr.EcrImageSizes;
import io.smdrelease.testsupport.EcrImages;
import io.smdrelease.testsupport.MiniStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * generate-size-report against MiniStack's ECR: the adapter's DescribeImages call, and the shaded jar end to end
 * (AWS_ENDPOINT_URL pointing at the emulator).
 *
 * <p>MiniStack's DescribeImages answers {@code imageSizeInBytes} = the length of the stored manifest, not the sum of
 * the layer sizes as ECR does. So the test puts manifests padded to known lengths with PutImage and checks that those
 * lengths reach the report and the gate; the layer-sum semantics of real ECR cannot be tested here.
 */
class GenerateSizeReportIT {
    private static final String REPOSITORY = "smd-staging";
    private static final String ACCOUNT = MiniStack.ACCOUNT_ID;
    private static MiniStack ministack;
    private static EcrClient ecr;

    @BeforeAll
    static void start() {
        ministack = MiniStack.start();
        ecr = EcrClient.builder()
                .endpointOverride(ministack.endpoint())
                .region(ministack.region())
                .credentialsProvider(MiniStack.credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        ecr.createRepository(r -> r.repositoryName(REPOSITORY));
        putImage("1.1.0-cpu", 10_000_000); // new packages: 0.65% of its conda packages
        putImage("1.1.0-gpu", 6_000_000); // new packages: 5.87% of its conda packages, over the gate
        putImage("1.0.0-cpu", 9_000_000);
        putImage("1.0.1-cpu", 20_000_000);
        putImage("1.0.1-gpu", 20_000_000);
    }

    @AfterAll
    static void stop() {
        if (ecr != null) {
            ecr.close();
        }
        if (ministack != null) {
            ministack.close();
        }
    }

    private static void putImage(String tag, int length) {
        EcrImages.put(ecr, REPOSITORY, tag, length);
    }

    @Test
    void adapter_readsImageSizeInBytesByTag() {
        EcrImageSizes sizes = new EcrImageSizes(ecr, REPOSITORY, ACCOUNT);
        assertEquals(OptionalLong.of(10_000_000), sizes.sizeOf("1.1.0-cpu"));
        assertEquals(OptionalLong.of(6_000_000), sizes.sizeOf("1.1.0-gpu"));
        assertEquals(OptionalLong.empty(), sizes.sizeOf("9.9.9-cpu"));
        assertTrue(sizes.describe().startsWith("ECR repository smd-staging of account " + ACCOUNT), sizes.describe());
    }

    @Test
    void jar_printsTheReport_andTheGateFailsWithExit2() throws Exception {
        Result run = runJar("generate-size-report", "--target-patch-version", "1.1.0", "--validate");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.out().contains("\n# Image Size Report (cpu)\n"), run.out());
        assertTrue(run.out().contains("9.54 MiB|8.58 MiB|976.56 KiB|11.11%\n"), run.out());
        assertTrue(run.out().contains("5.72 MiB|(not in the repository)|-|-\n"), run.out());
        assertTrue(
                run.errorLine()
                        .startsWith("error: the size gate of 1.1.0 failed: gpu: the 3 new packages take"
                                + " 6.10 MiB, 5.87% of the 103.93 MiB of conda packages in 1.1.0-gpu; the limit is"
                                + " 5.00%"),
                run.err());
    }

    @Test
    void jar_readsZstdRepodata_withItsFilteredNatives(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        List<String> compressed = new ArrayList<>();
        for (String subdir : List.of("linux-64", "noarch")) {
            Path zst = dir.resolve(subdir + "-repodata.json.zst");
            Files.write(
                    zst,
                    com.github.luben.zstd.Zstd.compress(
                            Files.readAllBytes(TestTrees.resource("repodata/channel/" + subdir + "/repodata.json"))));
            compressed.add(zst.toString());
        }
        Result run = runJar(
                "generate-size-report",
                "--target-patch-version",
                "1.1.0",
                "--json",
                "--repodata",
                String.join(",", compressed));
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("\"newPackagesTotal\" : 400000"), run.out());
        assertTrue(run.out().contains("noarch-repodata.json.zst"), run.out());
        assertTrue(!run.err().contains("WARNING: A restricted method"), run.err());
    }

    @Test
    void jar_gatePasses_forAPatchWithoutNewPackages() throws Exception {
        Result run = runJar("generate-size-report", "--target-patch-version", "1.0.1", "--validate");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("New packages: 0, 0 B, 0.00% of the "), run.out());
        assertTrue(run.err().contains("Size gate passed"), run.err());
    }

    @Test
    void jar_missingTargetImage_exits2() throws Exception {
        Result run = runJar("generate-size-report", "--target-patch-version", "2.0.0");
        assertEquals(2, run.exitCode());
        assertTrue(
                run.errorLine()
                        .startsWith(
                                "error: image 2.0.0-gpu is not in ECR repository smd-staging of account " + ACCOUNT),
                run.err());
    }

    @Test
    void jar_missingRepository_exits2() throws Exception {
        Result run = runJar("generate-size-report", "--target-patch-version", "1.1.0", "--staging-repo-name", "nope");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(
                run.errorLine().startsWith("error: ECR repository nope of account " + ACCOUNT + " does not exist"),
                run.err());
    }

    /** @param err stderr, which may also hold the SDK's SLF4J notice */
    record Result(int exitCode, String out, String err) {
        String errorLine() {
            return err.lines()
                    .filter(line -> line.startsWith("error: "))
                    .findFirst()
                    .orElse(err);
        }
    }

    private static Result runJar(String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("smd.jar", "target/smd-release.jar"));
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        List<String> flags = List.of(args);
        command.addAll(List.of(
                "--root",
                TestTrees.resource("repodata/repo").toString(),
                "--staging-account",
                ACCOUNT,
                "--region",
                ministack.region().id()));
        if (!flags.contains("--repodata")) {
            command.addAll(List.of("--repodata", ReportCommandsTest.REPODATA));
        }
        if (!flags.contains("--staging-repo-name")) {
            command.addAll(List.of("--staging-repo-name", REPOSITORY));
        }
        Path out = Files.createTempFile("size-report", ".out");
        Path err = Files.createTempFile("size-report", ".err");
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        env.put("AWS_ENDPOINT_URL", ministack.endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", MiniStack.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", MiniStack.SECRET_KEY);
        env.remove("AWS_PROFILE");
        Process process = pb.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the jar did not finish within 60 s: " + command);
        }
        try {
            return new Result(
                    process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
