package io.smdrelease.sbom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smdrelease.artifacts.ImageConfig;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.testsupport.Locks;
import io.smdrelease.version.SemVer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.cyclonedx.Version;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SBOM of the real 4.4.0 locks, validated against the CycloneDX 1.6 JSON schema the library ships. */
class SbomGeneratorTest {
    private static final ImageConfigs CONFIGS = ImageConfigs.builtIn();
    private static final ImageConfig GPU = CONFIGS.forType(4, "gpu");
    private static final ImageConfig CPU = CONFIGS.forType(4, "cpu");
    private static final Instant NOW = Instant.parse("2026-11-25T10:15:30Z");
    private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<ParseException> schemaErrors(byte[] json) throws Exception {
        return new JsonParser().validate(json, Version.VERSION_16);
    }

    @Test
    void gpuLock_isAValidCycloneDx16Bom_withOneComponentPerPackageLine() throws Exception {
        String lock = Locks.read("gpu");
        byte[] json = SbomGenerator.toJson(lock.getBytes(StandardCharsets.UTF_8), GPU, SemVer.of(4, 4, 0), DIGEST, NOW);

        assertEquals(List.of(), schemaErrors(json));
        JsonNode bom = JSON.readTree(json);
        assertEquals("CycloneDX", bom.get("bomFormat").asText());
        assertEquals("1.6", bom.get("specVersion").asText());
        assertTrue(bom.get("serialNumber").asText().matches("urn:uuid:[0-9a-f-]{36}"));
        long lines = lock.lines().filter(l -> l.startsWith("https://")).count();
        assertEquals(lines, bom.get("components").size());
        assertEquals("2026-11-25T10:15:30Z", bom.at("/metadata/timestamp").asText());
        assertEquals("smd-release", bom.at("/metadata/tools/components/0/name").asText());
    }

    @Test
    void aComponent_hasTheCondaPurl_theMd5_andTheUrl() throws Exception {
        byte[] json = SbomGenerator.toJson(
                Locks.read("gpu").getBytes(StandardCharsets.UTF_8), GPU, SemVer.of(4, 4, 0), null, NOW);
        JsonNode pytorch = null;
        for (JsonNode c : JSON.readTree(json).get("components")) {
            if (c.get("name").asText().equals("pytorch")) {
                pytorch = c;
            }
        }
        String purl = "pkg:conda/pytorch@2.8.0?build=cuda129_mkl_py312_had1c889_302&channel=conda-forge"
                + "&subdir=linux-64&type=conda";
        assertEquals("library", pytorch.get("type").asText());
        assertEquals("2.8.0", pytorch.get("version").asText());
        assertEquals(purl, pytorch.get("purl").asText());
        assertEquals(purl, pytorch.get("bom-ref").asText());
        assertEquals("MD5", pytorch.at("/hashes/0/alg").asText());
        assertEquals(
                "ec360db89efeedc51c34c7b3473b55af",
                pytorch.at("/hashes/0/content").asText());
        assertEquals("distribution", pytorch.at("/externalReferences/0/type").asText());
        assertEquals(
                "https://conda.anaconda.org/conda-forge/linux-64/pytorch-2.8.0-cuda129_mkl_py312_had1c889_302.conda",
                pytorch.at("/externalReferences/0/url").asText());
    }

    @Test
    void theImage_isTheMetadataComponent_identifiedByItsDigestWhenGiven() throws Exception {
        byte[] cpu = Locks.read("cpu").getBytes(StandardCharsets.UTF_8);
        JsonNode with = JSON.readTree(SbomGenerator.toJson(cpu, CPU, SemVer.of(4, 4, 0), DIGEST, NOW))
                .at("/metadata/component");
        assertEquals("container", with.get("type").asText());
        assertEquals("4.4.0-cpu", with.get("name").asText());
        assertEquals("4.4.0", with.get("version").asText());
        assertEquals(DIGEST, with.get("bom-ref").asText());
        assertEquals("SHA-256", with.at("/hashes/0/alg").asText());
        assertEquals(DIGEST.substring(7), with.at("/hashes/0/content").asText());

        JsonNode without = JSON.readTree(SbomGenerator.toJson(cpu, CPU, SemVer.of(4, 4, 0), null, NOW))
                .at("/metadata/component");
        assertEquals("4.4.0-cpu", without.get("name").asText());
        assertNull(without.get("hashes"));
        assertEquals(List.of(), schemaErrors(SbomGenerator.toJson(cpu, CPU, SemVer.of(4, 4, 0), null, NOW)));
    }

    /** The schema check is not vacuous: a document the schema forbids is reported. */
    @Test
    void theSchemaCheck_rejectsABrokenDocument() throws Exception {
        byte[] json = SbomGenerator.toJson(
                Locks.read("cpu").getBytes(StandardCharsets.UTF_8), CPU, SemVer.of(4, 4, 0), null, NOW);
        ObjectNode bom = (ObjectNode) JSON.readTree(json);
        ((ObjectNode) bom.get("components").get(0)).put("type", "not-a-type");
        assertFalse(schemaErrors(JSON.writeValueAsBytes(bom)).isEmpty());
    }

    @Test
    void aMalformedDigest_isAnInputError() {
        byte[] cpu = Locks.read("cpu").getBytes(StandardCharsets.UTF_8);
        for (String digest : List.of("sha256:abc", "0123456789abcdef".repeat(4), "sha256:" + "A".repeat(64))) {
            InvalidInputException e = assertThrows(
                    InvalidInputException.class, () -> SbomGenerator.toJson(cpu, CPU, SemVer.of(4, 4, 0), digest, NOW));
            assertTrue(e.getMessage().contains("is not sha256:<64 hex digits>"), e.getMessage());
        }
    }

    @Test
    void write_putsTheSbomBesideTheEnvOut(@TempDir Path root) throws Exception {
        Path dir = Files.createDirectories(root.resolve("build_artifacts/v4/v4.4/v4.4.0"));
        Files.copy(Locks.dir().resolve("gpu.env.out"), dir.resolve("gpu.env.out"));

        SbomResult result = SbomGenerator.write(
                new LocalDirStore(root), CONFIGS, "4.4.0", "gpu", DIGEST, Clock.fixed(NOW, ZoneOffset.UTC));

        assertEquals("build_artifacts/v4/v4.4/v4.4.0/gpu.sbom.cdx.json", result.path());
        byte[] written = Files.readAllBytes(dir.resolve("gpu.sbom.cdx.json"));
        assertEquals(List.of(), schemaErrors(written));
        assertEquals(
                result.components(), JSON.readTree(written).get("components").size());
        assertEquals(
                "wrote build_artifacts/v4/v4.4/v4.4.0/gpu.sbom.cdx.json: CycloneDX 1.6 SBOM of the gpu image, "
                        + result.components() + " packages from build_artifacts/v4/v4.4/v4.4.0/gpu.env.out, image "
                        + DIGEST,
                result.summary());
    }
}
