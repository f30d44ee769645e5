package io.smdrelease.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.registry.Descriptor;
import io.smdrelease.registry.Referrer;
import io.smdrelease.store.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one way a referrer's manifest is written, and what is read back as a referrer. */
class ReferrerManifestTest {
    private static final Descriptor SUBJECT = new Descriptor(Manifest.OCI_MANIFEST, "sha256:" + "a".repeat(64), 1234);
    private static final String HELLO = "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    @Test
    void theEmptyConfig_isTheTwoBytesOfAnEmptyObject() {
        assertEquals(
                "sha256:" + Sha256.hex(ReferrerManifest.emptyConfigContent()), ReferrerManifest.EMPTY_CONFIG.digest());
        assertEquals(ReferrerManifest.emptyConfigContent().length, ReferrerManifest.EMPTY_CONFIG.size());
    }

    @Test
    void bytes_fixedFieldOrder_annotationsSortedByKey() {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("z.last", "2");
        annotations.put("a.first", "1");
        Referrer referrer = new Referrer(
                "application/vnd.example.signature",
                SUBJECT,
                List.of(new Referrer.Layer("application/jose+json", bytes("hello"))),
                annotations);

        String expected = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"artifactType\":\"application/vnd.example.signature\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\","
                + "\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2},"
                + "\"layers\":[{\"mediaType\":\"application/jose+json\",\"digest\":\"" + HELLO + "\",\"size\":5}],"
                + "\"subject\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
                + SUBJECT.digest() + "\",\"size\":1234},"
                + "\"annotations\":{\"a.first\":\"1\",\"z.last\":\"2\"}}";
        ReferrerManifest manifest = ReferrerManifest.of(referrer);
        assertEquals(expected, new String(manifest.bytes(), StandardCharsets.UTF_8));
        assertEquals("sha256:" + Sha256.hex(bytes(expected)), manifest.digest());
    }

    @Test
    void theSameReferrer_theSameBytes_whateverTheOrderOfItsAnnotations() {
        Map<String, String> one = new LinkedHashMap<>();
        Map<String, String> other = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            one.put("key." + i, "v" + i);
            other.put("key." + (19 - i), "v" + (19 - i));
        }
        List<Referrer.Layer> layers = List.of(
                new Referrer.Layer("application/jose+json", bytes("a")),
                new Referrer.Layer("application/vnd.cyclonedx+json", bytes("ü")));
        byte[] first =
                ReferrerManifest.of(new Referrer("x/y", SUBJECT, layers, one)).bytes();
        byte[] second =
                ReferrerManifest.of(new Referrer("x/y", SUBJECT, layers, other)).bytes();
        assertArrayEquals(first, second);
    }

    @Test
    void noAnnotations_noAnnotationsField() {
        Referrer referrer = new Referrer(
                "x/y", SUBJECT, List.of(new Referrer.Layer("application/jose+json", bytes("a"))), Map.of());
        String json = new String(ReferrerManifest.of(referrer).bytes(), StandardCharsets.UTF_8);
        assertTrue(json.endsWith("\"size\":1234}}"), json);
        assertTrue(!json.contains("annotations"), json);
    }

    @Test
    void parse_readsBackWhatWasWritten_andWithContentIsTheReferrer() {
        Referrer referrer = new Referrer(
                "x/y", SUBJECT, List.of(new Referrer.Layer("application/jose+json", bytes("hello"))), Map.of("k", "v"));
        ReferrerManifest written = ReferrerManifest.of(referrer);
        ReferrerManifest read = ReferrerManifest.parse(written.bytes());
        assertEquals(written, read);
        assertEquals(List.of(new Descriptor("application/jose+json", HELLO, 5)), read.layers());
        Referrer back = read.withContent(List.of(bytes("hello")));
        assertEquals(referrer.subject(), back.subject());
        assertEquals(referrer.annotations(), back.annotations());
        assertArrayEquals(bytes("hello"), back.layers().get(0).content());
    }

    @Test
    void parse_anotherToolsFieldOrder_andTheConfigMediaTypeAsArtifactType() {
        String raw = "{\"subject\":{\"size\":1234,\"digest\":\"" + SUBJECT.digest() + "\",\"mediaType\":\""
                + Manifest.OCI_MANIFEST
                + "\"},\"layers\":[],\"config\":{\"mediaType\":\"application/vnd.example.sbom\","
                + "\"digest\":\"" + HELLO + "\",\"size\":5},\"schemaVersion\":2}";
        ReferrerManifest read = ReferrerManifest.parse(bytes(raw));
        assertEquals("application/vnd.example.sbom", read.artifactType());
        assertEquals(SUBJECT, read.subject());
        assertEquals(Map.of(), read.annotations());
    }

    @Test
    void parse_refusesWhatIsNoReferrer_sayingWhy() {
        String image = "{\"schemaVersion\":2,\"mediaType\":\"" + Manifest.OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + HELLO
                + "\",\"size\":5},\"layers\":[]}";
        assertMessage("it has no subject", image);
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + Manifest.OCI_INDEX + "\",\"manifests\":[]}";
        assertMessage("it is an image index", index);
        String noType = "{\"schemaVersion\":2,\"mediaType\":\"" + Manifest.OCI_MANIFEST + "\",\"config\":"
                + descriptor(ReferrerManifest.EMPTY_CONFIG) + ",\"layers\":[],\"subject\":" + descriptor(SUBJECT) + "}";
        assertMessage("no artifactType", noType);
        assertMessage("not JSON", "{");
    }

    @Test
    void aReferrerManifest_isCopiedAsAnImageManifest_configAndLayersItsBlobs() {
        Referrer referrer = new Referrer(
                "x/y",
                SUBJECT,
                List.of(
                        new Referrer.Layer("application/jose+json", bytes("hello")),
                        new Referrer.Layer("application/jose+json", bytes("world"))),
                Map.of());
        Manifest m = Manifest.parse(ReferrerManifest.of(referrer).bytes(), Optional.empty());
        assertEquals(Manifest.OCI_MANIFEST, m.mediaType());
        assertEquals(List.of(), m.children());
        assertEquals(
                List.of(ReferrerManifest.EMPTY_CONFIG.digest(), HELLO, "sha256:" + Sha256.hex(bytes("world"))),
                m.blobs().stream().map(Manifest.Descriptor::digest).toList());
    }

    private static void assertMessage(String part, String raw) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ReferrerManifest.parse(bytes(raw)));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    private static String descriptor(Descriptor d) {
        return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
