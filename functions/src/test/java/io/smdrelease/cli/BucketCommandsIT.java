package io.smdrelease.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.aws.s3.S3Stores;
import io.smdrelease.store.BucketStore;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.testsupport.MiniStack;
import io.smdrelease.testsupport.MiniStackExtension;
import io.smdrelease.testsupport.ModesFixture;
import io.smdrelease.testsupport.Trees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The shaded jar's bucket commands against MiniStack, with the AWS settings a user has in the environment:
 * push-tree seeds a bucket, create-* runs with --store s3://, pull-version brings the version back, and the result
 * equals the same command on a local tree.
 */
class BucketCommandsIT {
    @RegisterExtension
    static final MiniStackExtension EMULATOR = new MiniStackExtension();

    @TempDir
    Path work;

    record Run(int exitCode, String output) {}

    private Run jar(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-jar", System.getProperty("smd.jar")));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(work, "cli", ".log");
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment()
                .putAll(Map.of(
                        "AWS_ENDPOINT_URL",
                        EMULATOR.ministack().endpoint().toString(),
                        "AWS_ACCESS_KEY_ID",
                        MiniStack.ACCESS_KEY,
                        "AWS_SECRET_ACCESS_KEY",
                        MiniStack.SECRET_KEY,
                        "AWS_REGION",
                        EMULATOR.ministack().region().id()));
        Process process = pb.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the CLI did not finish in 120 s: " + Files.readString(log));
        }
        return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    @Test
    void pushTreeCreateOnTheBucketAndPullVersion_giveWhatTheLocalTreeGets() throws Exception {
        EMULATOR.s3().createBucket(b -> b.bucket("cli-bucket"));
        String uri = "s3://cli-bucket/mirror";
        // the sample distribution with executables and an empty directory in its template (issue 13)
        Path seed = ModesFixture.create(work.resolve("seed"));

        Run pushed = jar("push-tree", "--root", seed.toString(), "--to", uri);
        assertEquals(0, pushed.exitCode(), pushed.output());
        assertTrue(pushed.output().contains("(1 versions)"), pushed.output());

        Run created = jar("create-minor-version-artifacts", "--base-patch-version", "1.2.0", "--store", uri);
        assertEquals(0, created.exitCode(), created.output());
        assertTrue(created.output().contains("Created 1.3.0"), created.output());

        Path pulled = work.resolve("pulled");
        Run pull = jar("pull-version", "--target-patch-version", "1.3.0", "--from", uri, "--root", pulled.toString());
        assertEquals(0, pull.exitCode(), pull.output());

        Path local = ModesFixture.create(work.resolve("local"));
        assertEquals(
                0,
                Trees.runCli(
                                "create-minor-version-artifacts",
                                "--base-patch-version",
                                "1.2.0",
                                "--root",
                                local.toString())
                        .exitCode());
        String dir = "build_artifacts/v1/v1.3/v1.3.0";
        LocalDirStore expected = new LocalDirStore(local);
        LocalDirStore actual = new LocalDirStore(pulled);
        assertEquals(expected.listFiles(dir), actual.listFiles(dir));
        for (String path : expected.listFiles(dir)) {
            assertArrayEquals(
                    expected.read(path).orElseThrow(), actual.read(path).orElseThrow(), path);
        }
        assertEquals(
                ModesFixture.modes(local.resolve(dir)),
                ModesFixture.modes(pulled.resolve(dir)),
                "modes and empty directories");
        BucketStore bucket = S3Stores.open(EMULATOR.s3(), "cli-bucket", "mirror", Clock.systemUTC());
        assertTrue(bucket.isComplete(dir), "published with its manifest");
        assertEquals(expected.listFiles("template/v1/v1.3"), bucket.listFiles("template/v1/v1.3"));
        assertEquals(expected.emptyDirectories("template/v1/v1.3"), bucket.emptyDirectories("template/v1/v1.3"));
    }

    @Test
    void aLiveLockRefusesCreateNamingTheFix_andBreakLockRemovesIt() throws Exception {
        EMULATOR.s3().createBucket(b -> b.bucket("cli-locks"));
        String uri = "s3://cli-locks/mirror";
        assertEquals(
                0,
                jar("push-tree", "--root", Trees.examples().toString(), "--to", uri)
                        .exitCode());
        Instant now = Instant.now();
        String lock = "{\"owner\":\"ci@runner-7 pid 4242\",\"createdAt\":\"" + now + "\",\"expiresAt\":\""
                + now.plus(Duration.ofHours(1)) + "\"}";
        EMULATOR.s3()
                .putObject(
                        b -> b.bucket("cli-locks").key("mirror/build_artifacts/v1/v1.2/v1.2.1/.lock"),
                        RequestBody.fromString(lock));

        Run refused = jar("create-patch-version-artifacts", "--base-patch-version", "1.2.0", "--store", uri);
        assertEquals(2, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains("is locked by ci@runner-7 pid 4242 since " + now), refused.output());
        assertTrue(
                refused.output().contains("smd-release break-lock --target-patch-version 1.2.1 --store " + uri),
                refused.output());

        Run broke = jar("break-lock", "--target-patch-version", "1.2.1", "--store", uri);
        assertEquals(0, broke.exitCode(), broke.output());
        assertTrue(
                broke.output()
                        .contains("Broke the lock of version 1.2.1 in " + uri + "/: it was ci@runner-7 pid 4242's"),
                broke.output());
        Run again = jar("break-lock", "--target-patch-version", "1.2.1", "--store", uri);
        assertEquals(0, again.exitCode(), again.output());
        assertTrue(again.output().contains("nothing to break"), again.output());

        Run created = jar("create-patch-version-artifacts", "--base-patch-version", "1.2.0", "--store", uri);
        assertEquals(0, created.exitCode(), created.output());
    }

    /** The bucket's own image-configs.json is read through the store, as a checkout's is. */
    @Test
    void theBucketsImageConfigsJson_isUsed() throws Exception {
        EMULATOR.s3().createBucket(b -> b.bucket("cli-configs"));
        Path tree = work.resolve("tree");
        Trees.copy(Trees.examples(), tree);
        String builtIn = Trees.read(
                Trees.repoDir().resolve("functions/src/main/resources/io/smdrelease/artifacts/image-configs.json"));
        Trees.write(tree.resolve("image-configs.json"), builtIn.replace("\"jammy\"", "\"noble\""));
        assertEquals(
                0,
                jar("push-tree", "--root", tree.toString(), "--to", "s3://cli-configs")
                        .exitCode());

        Run plan = jar("plan-build", "--target-patch-version", "1.2.0", "--store", "s3://cli-configs");
        assertEquals(0, plan.exitCode(), plan.output());
        assertTrue(plan.output().contains("\"TAG_FOR_BASE_MICROMAMBA_IMAGE\" : \"noble\""), plan.output());
    }

    /** A checkout's base without env.out gets unbounded specs (BadInputTest); the bucket tracks releases and refuses. */
    @Test
    void aBaseWithoutEnvOut_isRefusedInTheBucket() throws Exception {
        EMULATOR.s3().createBucket(b -> b.bucket("cli-unbuilt"));
        Path tree = work.resolve("unbuilt");
        Trees.copy(Trees.examples(), tree);
        Files.delete(tree.resolve("build_artifacts/v1/v1.2/v1.2.0/gpu.env.out"));
        assertEquals(
                0,
                jar("push-tree", "--root", tree.toString(), "--to", "s3://cli-unbuilt")
                        .exitCode());

        Run run = jar("create-patch-version-artifacts", "--base-patch-version", "1.2.0", "--store", "s3://cli-unbuilt");
        assertEquals(2, run.exitCode(), run.output());
        assertTrue(
                run.output()
                        .contains("error: build_artifacts/v1/v1.2/v1.2.0/gpu.env.out is missing in s3://cli-unbuilt/: a"
                                + " released base has the env.out of its build"),
                run.output());
        BucketStore bucket = S3Stores.open(EMULATOR.s3(), "cli-unbuilt", "", Clock.systemUTC());
        assertEquals(List.of(), bucket.listFiles("build_artifacts/v1/v1.2/v1.2.1"), "nothing written");
    }

    @Test
    void aBadBucketUriIsAUserError() throws Exception {
        Run run = jar("create-patch-version-artifacts", "--base-patch-version", "1.2.0", "--store", "s3://Bad_Bucket");
        assertEquals(2, run.exitCode(), run.output());
        assertTrue(run.output().contains("Bad_Bucket"), run.output());
    }
}
