package io.smdrelease.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.testsupport.JarCli;
import io.smdrelease.testsupport.MiniStackExtension;
import io.smdrelease.testsupport.TestCertificates;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code signing-setup} of the shaded jar against MiniStack's ACM and Signer. */
class SigningSetupCommandIT {
    @RegisterExtension
    static final MiniStackExtension EMULATOR = new MiniStackExtension();

    @TempDir
    Path work;

    @Test
    void importsTheCertificateAndMakesTheProfile_thenReusesIt() throws Exception {
        TestCertificates ca = TestCertificates.rootCa(work, "CLI Root");
        TestCertificates.Issued leaf = ca.leaf("cli-signer", TestCertificates.P256, true, 30);

        JarCli.Run imported = JarCli.run(
                EMULATOR.ministack(),
                work,
                "signing-setup",
                "--profile-name",
                "smd_cli",
                "--certificate",
                leaf.certificate().toString(),
                "--private-key",
                leaf.key().toString(),
                "--certificate-chain",
                leaf.root().toString());
        assertEquals(0, imported.exitCode(), imported.output());
        JsonNode json = json(imported);
        assertEquals("smd_cli", json.get("profileName").asText());
        assertTrue(json.get("certificateArn").asText().startsWith("arn:aws:acm:us-east-1:"), imported.output());
        assertTrue(json.get("profileVersionArn").asText().contains(":/signing-profiles/smd_cli/"), imported.output());

        JsonNode profile = json(imported);
        JarCli.Run again = JarCli.run(
                EMULATOR.ministack(),
                work,
                "signing-setup",
                "--profile-name",
                "smd_cli",
                "--certificate-arn",
                profile.get("certificateArn").asText());
        assertEquals(0, again.exitCode(), again.output());
        assertEquals(profile, json(again));
    }

    /** The printed JSON: stdout and stderr are one stream here, and stderr may hold the SDK's SLF4J notice first. */
    private static JsonNode json(JarCli.Run run) throws Exception {
        return new ObjectMapper().readTree(run.output().substring(run.output().indexOf("{\n")));
    }

    @Test
    void refusesBadInputWithTheFlagAndTheFix() throws Exception {
        JarCli.Run hyphen = JarCli.run(
                EMULATOR.ministack(), work, "signing-setup", "--profile-name", "smd-cli", "--certificate-arn", "x");
        assertEquals(2, hyphen.exitCode(), hyphen.output());
        assertTrue(
                hyphen.output()
                        .contains("--profile-name 'smd-cli' is not an AWS Signer profile name: use 2 to 64"
                                + " letters, digits and underscores"),
                hyphen.output());

        JarCli.Run nothing = JarCli.run(EMULATOR.ministack(), work, "signing-setup", "--profile-name", "smd_cli2");
        assertEquals(2, nothing.exitCode(), nothing.output());
        assertTrue(
                nothing.output().contains("give --certificate-arn ARN, or --certificate PEM and --private-key PEM"),
                nothing.output());
    }
}
