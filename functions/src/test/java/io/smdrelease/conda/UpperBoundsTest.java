package io.smdrelease.conda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smdrelease.error.InvalidInputException;
import io.smdrelease.version.ReleaseType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpperBoundsTest {

    /** docs/original-tool.md §2.2, the examples table. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "pip | 26.1.2 | MINOR | ,<27.0.0",
                "python | 3.12.13 | MINOR | ,<3.13.0",
                "python | 3.12.9 | MAJOR | ''",
                "python | 3.12.9 | PATCH | ,<3.13.0",
                "scikit-learn | 1.4.1.post1 | PATCH | ,<1.5.0",
                "scikit-learn | 1.4.1.post1 | MINOR | ,<2.0.0",
                "git-remote-codecommit | 1.16 | PATCH | ,<1.17.0",
                "git-remote-codecommit | 1.16 | MINOR | ,<2.0.0",
                "git-remote-codecommit | 1.16 | MAJOR | ''",
                "hypothetical | 8 | PATCH | ,<8.1.0",
                "hypothetical | 8 | MINOR | ,<9.0.0",
            })
    void matchesTheOriginalTool(String name, String version, ReleaseType release, String expected) {
        assertEquals(expected, UpperBounds.upperBound(name, version, release));
    }

    /** Versions on which the original tool crashes get a bound from their leading numeric fields. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "0.55b1 | PATCH | ,<0.56.0",
                "0.55b1 | MINOR | ,<1.0.0",
                "2024.07.02 | PATCH | ,<2024.8.0",
                "2024.07.02 | MINOR | ,<2025.0.0",
                "3.000 | PATCH | ,<3.1.0",
                "3.000 | MINOR | ,<4.0.0",
                "2025b | PATCH | ,<2025.1.0",
                "2025b | MINOR | ,<2026.0.0",
                "3.12.0rc1 | PATCH | ,<3.13.0",
                "1!2.3 | PATCH | ,<1!2.4.0",
                "0.55b1 | MAJOR | ''",
            })
    void boundsUnparsableVersionsByTheirLeadingNumbers(String version, ReleaseType release, String expected) {
        assertEquals(expected, UpperBounds.upperBound("pkg", version, release));
    }

    @Test
    void rejectsAVersionWithoutALeadingNumber() {
        InvalidInputException e = assertThrows(
                InvalidInputException.class, () -> UpperBounds.upperBound("pkg", "abc", ReleaseType.PATCH));
        assertEquals(true, e.getMessage().contains("pkg abc"), e.getMessage());
    }
}
