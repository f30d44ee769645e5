package io.smdrelease.conda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.error.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EnvFileTest {

    private static EnvFile parse(String text) {
        return EnvFile.parse("test.env.in", text.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "conda-forge::python[version='>=3.12.13,<3.13.0'] | python | conda-forge | >=3.12.13,<3.13.0",
                "numpy>=1.26 | numpy | | >=1.26",
                "numpy >=1.26,<2 | numpy | | >=1.26,<2",
                "conda-forge::tzdata | tzdata | conda-forge | ",
                "Jinja2==3.1.6 | Jinja2 | | ==3.1.6",
                "pkgs/main::six 1.16.* | six | pkgs/main | 1.16.*",
                "conda-forge/label/dev::foo | foo | conda-forge/label/dev | ",
                "pytorch=2.3=cuda* | pytorch | | =2.3=cuda*",
                "amazon_sagemaker_sql_editor[version='>=0.2.6'] | amazon_sagemaker_sql_editor | | >=0.2.6",
            })
    void readsMatchSpecs(String line, String name, String channel, String version) {
        MatchSpec spec = MatchSpecs.parseLine(line);
        assertEquals(name, spec.name());
        assertEquals(channel, spec.channel());
        assertEquals(version, spec.version());
    }

    @Test
    void readsExplicitUrlLines() {
        MatchSpec spec = MatchSpecs.parseLine(
                "https://conda.anaconda.org/conda-forge/linux-64/llvm-openmp-22.1.8-h4922eb0_0.conda#7bbfdc5a6eca997d3b0873a575c3e155");
        assertEquals(new MatchSpec("llvm-openmp", "conda-forge", "==22.1.8", "h4922eb0_0"), spec);
        MatchSpec bz2 = MatchSpecs.parseLine(
                "https://conda.anaconda.org/conda-forge/linux-64/_py-xgboost-mutex-2.0-cpu_0.tar.bz2#23b8f98a355030331f40d0245492f715");
        assertEquals(new MatchSpec("_py-xgboost-mutex", "conda-forge", "==2.0", "cpu_0"), bz2);
        MatchSpec main =
                MatchSpecs.parseLine("https://repo.anaconda.com/pkgs/main/noarch/six-1.16.0-pyhd3eb1b0_1.conda");
        assertEquals("pkgs/main", main.channel());
        assertEquals("1.16.0", main.exactVersion());
    }

    @Test
    void keysByLowerCasedName_duplicateKeepsFirstPositionAndLastValue() {
        EnvFile file = parse("# comment\n\nconda-forge::B[version='>=1']\n  a>=1  \nb>=2\n");
        assertEquals(List.of("b", "a"), List.copyOf(file.packages().keySet()));
        assertEquals(">=2", file.get("b").version());
    }

    @Test
    void explicitFilesKeepTheMarker() {
        EnvFile out = parse("# platform: linux-64\n@EXPLICIT\n"
                + "https://conda.anaconda.org/conda-forge/noarch/pip-24.0-pyhd8ed1ab_0.conda#f586\n");
        assertTrue(out.isExplicit());
        assertNull(out.get(MatchSpec.EXPLICIT_MARKER).version());
        assertEquals("24.0", out.get("pip").exactVersion());
        assertFalse(parse("pip\n").isExplicit());
    }

    @Test
    void aFileWithoutPackagesIsAnError() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> parse("# only a comment\n\n"));
        assertTrue(e.getMessage().contains("test.env.in"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                ">=1.0",
                "conda-forge::",
                "numpy[version='>=1'",
                "numpy]",
                "conda-forge::[version='1']",
                "https://conda.anaconda.org/conda-forge/noarch/broken.conda",
                "*"
            })
    void malformedLinesNameTheFileAndLine(String line) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> parse("ok\n" + line + "\n"));
        assertTrue(e.getMessage().startsWith("test.env.in line 2: "), e.getMessage());
    }
}
