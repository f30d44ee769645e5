package io.smdrelease.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smdrelease.error.InvalidInputException;
import org.junit.jupiter.api.Test;

class ImageVersionsTest {

    private static SemVer v(String text) {
        return SemVer.parseImageVersion(text);
    }

    @Test
    void next_carriesTheBasePrereleaseOver() {
        assertEquals(
                "1.0.1-beta",
                ImageVersions.next(v("1.0.0-beta"), ReleaseType.PATCH, null).toString());
        assertEquals(
                "2.0.0-beta",
                ImageVersions.next(v("1.0.0-beta"), ReleaseType.MAJOR, null).toString());
        assertEquals(
                "4.5.0", ImageVersions.next(v("4.4.3"), ReleaseType.MINOR, null).toString());
    }

    @Test
    void next_appliesAPrereleaseIdentifier() {
        assertEquals(
                "2.0.0-beta",
                ImageVersions.next(v("1.5.2"), ReleaseType.MAJOR, "beta").toString());
    }

    @Test
    void next_rejectsAPrereleaseIdentifierOnAPrereleaseBase() {
        assertThrows(InvalidInputException.class, () -> ImageVersions.next(v("1.0.0-beta"), ReleaseType.PATCH, "rc"));
    }

    @Test
    void next_rejectsAnIdentifierThatIsNoPrerelease() {
        assertThrows(InvalidInputException.class, () -> ImageVersions.next(v("1.0.0"), ReleaseType.PATCH, "../x"));
        assertThrows(InvalidInputException.class, () -> ImageVersions.next(v("1.0.0"), ReleaseType.PATCH, "a b"));
    }

    @Test
    void versionDir_nestsPrereleases() {
        assertEquals("build_artifacts/v4/v4.4/v4.4.1", ImageVersions.versionDir(v("4.4.1")));
        assertEquals("build_artifacts/v2/v2.0/v2.0.0/v2.0.0-beta", ImageVersions.versionDir(v("2.0.0-beta")));
    }
}
