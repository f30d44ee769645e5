package io.smdrelease.lambda.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPipelineServerTest {
    private static final URI EMULATOR = URI.create("http://127.0.0.1:4566");

    @Test
    void readsEachFunctionsEnvironment_fromTheEmulatorsListFunctionsAnswer(@TempDir Path dir) throws IOException {
        Path answer = Files.writeString(dir.resolve("functions.json"), """
                {"Functions": [
                  {"FunctionName": "smd-release-generate", "Environment": {"Variables": {"ARTIFACT_BUCKET": "b"}}},
                  {"FunctionName": "smd-release-local-build"}
                ]}
                """);
        assertEquals(
                Map.of("smd-release-generate", Map.of("ARTIFACT_BUCKET", "b"), "smd-release-local-build", Map.of()),
                LocalPipelineServer.readEnvironments(answer));
    }

    @Test
    void servesEveryFunctionOfTheStack_andRefusesAStackWithOthers() {
        Map<String, Map<String, String>> deployed = new TreeMap<>();
        LocalPipelineServer.FUNCTIONS.forEach(f -> deployed.put("smd-release-" + f, Map.of()));
        deployed.put("someone-elses-function", Map.of());
        LocalPipelineServer server = new LocalPipelineServer(deployed, "smd-release", EMULATOR, "us-east-1");
        Set<String> served = new TreeSet<>();
        LocalPipelineServer.FUNCTIONS.forEach(f -> served.add("smd-release-" + f));
        assertEquals(
                served,
                server.handlers(Path.of("scripts"), Path.of("work"), Map.of()).keySet());

        deployed.remove("smd-release-nightly-plan");
        IllegalStateException drift = assertThrows(
                IllegalStateException.class,
                () -> new LocalPipelineServer(deployed, "smd-release", EMULATOR, "us-east-1"));
        assertTrue(drift.getMessage().contains("smd-release-nightly-plan"), drift.getMessage());
    }

    @Test
    void ecrRepositories_areReachedAtTheEmulatorsRegistryEndpoint() {
        Map<String, Map<String, String>> deployed = new TreeMap<>();
        LocalPipelineServer.FUNCTIONS.forEach(f -> deployed.put("smd-release-" + f, Map.of()));
        var toEmulator = new LocalPipelineServer(deployed, "smd-release", EMULATOR, "us-east-1").emulatorRegistry();
        assertEquals(
                "127.0.0.1:4566/team/sagemaker-distribution",
                toEmulator.apply("000000000000.dkr.ecr.us-east-1.amazonaws.com/team/sagemaker-distribution"));
        assertEquals("127.0.0.1:5000/other", toEmulator.apply("127.0.0.1:5000/other"));
    }
}
