package io.smdrelease.release;

import static io.smdrelease.testsupport.TestReferrers.assertSameReferrer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.oci.ReferrerManifest;
import io.smdrelease.registry.CopyResult;
import io.smdrelease.registry.Descriptor;
import io.smdrelease.registry.Referrer;
import io.smdrelease.registry.RegistryRejectedException;
import io.smdrelease.testsupport.TestReferrers;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fake registry keeps the referrer rules of the real client (ReferrersIT): same digests, same refusals. */
class InMemoryRegistryTest {
    private static final String STAGING = "123456789012.dkr.ecr.us-east-1.amazonaws.com/staging";
    private static final String RELEASE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/release";

    private final InMemoryRegistry registry = new InMemoryRegistry();

    @Test
    void aReferrer_pushedUnderTheRealClientsDigest_readBack_copiedByDigest_once() {
        String image = registry.putImage(STAGING, "candidate-cpu", "cpu");
        Descriptor subject = registry.describe(STAGING, image);
        Referrer referrer = TestReferrers.signature(subject, "fake");

        String digest = registry.pushReferrer(STAGING, referrer);

        assertEquals(ReferrerManifest.of(referrer).digest(), digest);
        assertEquals(digest, registry.pushReferrer(STAGING, referrer));
        assertEquals(List.of(STAGING + "@" + digest), registry.digestWrites, "pushed again: nothing written");
        assertSameReferrer(referrer, registry.readReferrer(STAGING, digest));
        assertEquals(
                new CopyResult(RELEASE, null, digest, false, 1, 0, 0, 0, 0),
                registry.copy(STAGING, digest, RELEASE, null));
        assertSameReferrer(referrer, registry.readReferrer(RELEASE, digest));
        assertEquals(CopyResult.skipped(RELEASE, null, digest), registry.copy(STAGING, digest, RELEASE, null));
        assertEquals(List.of(), registry.writes, "no tag written");
    }

    @Test
    void readReferrer_ofAnImage_orOfNothing_isRejected() {
        String image = registry.putImage(STAGING, "candidate-cpu", "cpu");
        RegistryRejectedException plain =
                assertThrows(RegistryRejectedException.class, () -> registry.readReferrer(STAGING, image));
        assertTrue(plain.getMessage().contains("no subject"), plain.getMessage());
        assertEquals(
                404,
                assertThrows(
                                RegistryRejectedException.class,
                                () -> registry.copy(STAGING, "sha256:" + "0".repeat(64), RELEASE, null))
                        .status());
    }
}
