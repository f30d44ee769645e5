package io.smdrelease.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.error.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SemVerTest {

    @ParameterizedTest
    @CsvSource({
        "4.4.1, 4.4.1",
        "1.2.3.4, 1.2.3",
        "2.0.0-rc.1, 2.0.0-rc",
        "4.4, 4.4.0",
        "2.0.0-beta, 2.0.0-beta",
        "0.0.0, 0.0.0",
    })
    void parseImageVersion_normalisesLikeGetSemver(String text, String expected) {
        assertEquals(expected, SemVer.parseImageVersion(text).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"4", "", "01.2.3", "1.02.3", "a.b.c", "1.2.3-", "1.2.3-01", "../../x", "1..2", " 1.2.3"})
    void parseImageVersion_rejectsWhatIsNotSemVer(String text) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SemVer.parseImageVersion(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @Test
    void parseImageVersion_rejectsBuildMetadata() {
        InvalidInputException e =
                assertThrows(InvalidInputException.class, () -> SemVer.parseImageVersion("1.2.3+build.5"));
        assertTrue(e.getMessage().contains("build metadata"), e.getMessage());
    }

    @Test
    void optionalMinorAndPatch_fillsZeros() {
        assertEquals("1.16.0", SemVer.tryParseOptionalMinorPatch("1.16").toString());
        assertEquals("8.0.0", SemVer.tryParseOptionalMinorPatch("8").toString());
        assertNull(SemVer.tryParseOptionalMinorPatch("2024.07.02"));
        assertNull(SemVer.tryParseOptionalMinorPatch("0.55b1"));
    }

    @Test
    void bumpsDropThePrerelease() {
        SemVer beta = SemVer.parseImageVersion("1.0.0-beta");
        assertEquals("1.0.1", beta.bumpPatch().toString());
        assertEquals("1.1.0", beta.bumpMinor().toString());
        assertEquals("2.0.0", beta.bumpMajor().toString());
    }

    @Test
    void ordersByPrecedence() {
        assertTrue(SemVer.parseImageVersion("2.0.0-beta").compareTo(SemVer.parseImageVersion("2.0.0")) < 0);
        assertTrue(SemVer.parseImageVersion("4.10.0").compareTo(SemVer.parseImageVersion("4.9.3")) > 0);
        assertTrue(new SemVer(1, 0, 0, "rc.2").compareTo(new SemVer(1, 0, 0, "rc.10")) < 0);
        assertTrue(new SemVer(1, 0, 0, "rc.2").compareTo(new SemVer(1, 0, 0, "rc.2.1")) < 0);
        assertTrue(new SemVer(1, 0, 0, "2").compareTo(new SemVer(1, 0, 0, "alpha")) < 0);
    }
}
