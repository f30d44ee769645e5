package io.smdrelease.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.aws.s3.S3Stores;
import io.smdrelease.store.BucketStore;
import io.smdrelease.testsupport.JarCli;
import io.smdrelease.testsupport.Locks;
import io.smdrelease.testsupport.MiniStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * check-image-variant and generate-sbom with the shaded jar on a bucket (MiniStack) seeded with the real 4.4.0 locks:
 * the store path the pipeline takes, and the CycloneDX library as the jar ships it (without its XML schemas, protobuf
 * definitions and license texts).
 */
class BuiltImageCommandsIT {
    @RegisterExtension
    static final MiniStackExtension EMULATOR = new MiniStackExtension();

    @TempDir
    Path work;

    @Test
    void onABucket_theGatePasses_andTheSbomLandsBesideTheEnvOut() throws Exception {
        Path checkout = work.resolve("checkout");
        Path dir = Files.createDirectories(checkout.resolve("build_artifacts/v4/v4.4/v4.4.0"));
        Files.copy(Locks.dir().resolve("gpu.env.out"), dir.resolve("gpu.env.out"));
        Files.copy(Locks.dir().resolve("cpu.env.out"), dir.resolve("cpu.env.out"));
        String bucket = EMULATOR.newVersionedBucket("built-image");
        String uri = "s3://" + bucket + "/mirror";
        JarCli.Run pushed =
                JarCli.run(EMULATOR.ministack(), work, "push-tree", "--root", checkout.toString(), "--to", uri);
        assertEquals(0, pushed.exitCode(), pushed.output());

        JarCli.Run gate = JarCli.run(
                EMULATOR.ministack(),
                work,
                "check-image-variant",
                "--store",
                uri,
                "--target-patch-version",
                "4.4.0",
                "--image-type",
                "gpu");
        assertEquals(0, gate.exitCode(), gate.output());
        assertTrue(gate.output().contains("variant gate passed for gpu"), gate.output());

        String digest = "sha256:" + "cd".repeat(32);
        JarCli.Run sbom = JarCli.run(
                EMULATOR.ministack(),
                work,
                "generate-sbom",
                "--store",
                uri,
                "--target-patch-version",
                "4.4.0",
                "--image-type",
                "cpu",
                "--image-digest",
                digest);
        assertEquals(0, sbom.exitCode(), sbom.output());

        BucketStore store = S3Stores.open(EMULATOR.s3(), bucket, "mirror", Clock.systemUTC());
        byte[] written =
                store.read("build_artifacts/v4/v4.4/v4.4.0/cpu.sbom.cdx.json").orElseThrow();
        assertEquals(List.of(), new JsonParser().validate(written, Version.VERSION_16));
        assertEquals(
                digest,
                new ObjectMapper()
                        .readTree(written)
                        .at("/metadata/component/bom-ref")
                        .asText());
    }
}
