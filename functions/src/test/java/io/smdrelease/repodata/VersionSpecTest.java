package io.smdrelease.repodata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** conda's VersionSpec examples (conda's test_version.py matches these against 1.7.1) and the generator's forms. */
class VersionSpecTest {
    @ParameterizedTest(name = "{0} matches 1.7.1: {1}")
    @CsvSource(
            delimiter = ';',
            value = {
                "1.7.*; true",
                "1.7.1; true",
                "1.7.0; false",
                "1.7; false",
                "1.5.*; false",
                ">=1.5; true",
                "!=1.5; true",
                "!=1.7.1; false",
                "==1.7.1; true",
                "==1.7; false",
                "==1.7.2; false",
                "==1.7.1.0; true",
                "1.7.*|1.8.*; true",
                ">1.7,<1.8; true",
                ">1.7.1,<1.8; false",
                "^1.7.1$; true",
                "^1\\.7\\.1$; true",
                "^1\\.7\\.[0-9]+$; true",
                "^1\\.8.*$; false",
                "^1\\.[5-8]\\.1$; true",
                "^[^1].*$; false",
                "^[0-9+]+\\.[0-9+]+\\.[0-9]+$; true",
                "^$; false",
                "^.*$; true",
                "1.7.*|^0.*$; true",
                "1.6.*|^0.*$; false",
                "1.6.*|^0.*$|1.7.1; true",
                "^0.*$|1.7.1; true",
                "1.6.*|^.*\\.7\\.1$|0.7.1; true",
                "*; true",
                "1.*.1; true",
                "1.5.*|>1.7,<1.8; true",
                "1.5.*|>1.7.1,<1.8; false",
                "*.7.*; true",
                "*.7.1; true",
                "*.7.2; false",
                "1.7*; true",
                "=1.7; true",
                "=1.7.1; true",
                "=1.8; false",
                "!=1.7.*; false",
                "!=1.6.*; true",
                ">=1.7.*; true",
                "~=1.7.0; true",
                "~=1.7.2; false",
                "~=1.6; true",
                "~=1.8; false",
                "(1.5|1.7.1),>1.6; true",
                "(1.5|1.6),<2; false",
                "<1.7.1|>1.7.1; false",
                ">=1.7.1rc1,<1.7.2; true",
            })
    void conda_examples(String spec, boolean expected) {
        assertEquals(expected, VersionSpec.parse(spec).matches("1.7.1"), spec);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                // the bounds create-*-version-artifacts writes
                ">=1.26.4,<1.27.0; 1.26.4; true",
                ">=1.26.4,<1.27.0; 1.26.9; true",
                ">=1.26.4,<1.27.0; 1.27.0; false",
                // as in conda, a pre-release of the upper bound sorts below it and passes
                ">=1.26.4,<1.27.0; 1.27.0rc1; true",
                ">=1.26.4,<1.27.0; 1.27.0.dev0; true",
                ">=1.26.4,<1.27.0; 1.27.0.post1; false",
                ">=1.26.4,<1.27.0; 1.26.3; false",
                ">=2.2.3,<3.0.0; 2.9.1; true",
                ">=2.2.3,<3.0.0; 3.0.0; false",
                ">=0.55b1,<0.56.0; 0.55; true",
                ">=0.55b1,<0.56.0; 0.55b2; true",
                ">=0.55b1,<0.56.0; 0.55a1; false",
                ">=2024.07.02,<2024.8.0; 2024.7.30; true",
                ">=1!2.3,<1!2.4.0; 1!2.3.9; true",
                ">=1!2.3,<1!2.4.0; 2.3.9; false",
                ">=3.12.9; 3.13.0; true",
                "==22.1.8; 22.1.8; true",
                "==22.1.8; 22.1.80; false",
                "3.12.*; 3.12.11; true",
                "3.12.*; 3.1.2; false",
                ">=1.0 , <2.0; 1.5; true",
                ">=1.0,<2.0|>=3.0; 3.1; true",
                ">=1.0,<2.0|>=3.0; 2.5; false",
                "1.7.1; 1.7.1.0; true",
                ">=1.0; not-a-version!; false",
            })
    void generatorBounds(String spec, String version, boolean expected) {
        assertEquals(expected, VersionSpec.parse(spec).matches(version), spec + " vs " + version);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "conda-forge::numpy[version='>=1.26.4,<1.27.0']; 1.26.7; true",
                "conda-forge::numpy[version='>=1.26.4,<1.27.0']; 1.27.0; false",
                "conda-forge::python[version='>=3.12.9,<3.13.0']; 3.13.0rc2; true",
                "conda-forge::python[version='>=3.12.9,<3.13.0']; 3.13.0; false",
                "conda-forge::jupyterlab[version='>=4.2.5']; 5.0.0; true",
                "numpy >=1.26,<2; 2.0.0; false",
            })
    void writtenEnvInLines_matchThroughTheirVersionConstraint(String line, String version, boolean expected) {
        String constraint = io.smdrelease.conda.MatchSpecs.parseLine(line).version();
        assertEquals(expected, VersionSpec.parse(constraint).matches(version), line + " vs " + version);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ">=", "<=>1.0", "=>1.0", ">= 1.0", "(1.0", "1.0)", "1.0,", "~=1.0.*", "^1.0", "1.0$"})
    void invalidSpecs_nameTheSpec(String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VersionSpec.parse(spec));
        assertTrue(e.getMessage().startsWith("version constraint '" + spec + "'"), e.getMessage());
    }
}
