package io.smdrelease.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.error.BaseNotFoundException;
import io.smdrelease.reports.StalenessReport.Row;
import io.smdrelease.version.ReleaseType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StalenessReportTest {
    @Test
    void patchTarget_comparesWithinTheSameMajorMinor() {
        StalenessReport report =
                StalenessReport.build(ReportFixtures.release("1.0.1", false), ReportFixtures.channel());
        assertEquals("patch", report.releaseType());
        assertEquals(
                List.of("gpu", "cpu"),
                report.images().stream().map(StalenessReport.Image::imageType).toList());
        assertEquals(
                List.of(
                        new Row("numpy", "1.26.4", "1.26.*", "1.26.5", true),
                        new Row("pandas", "2.2.3", "2.2.*", "2.2.3", false),
                        new Row("requests", "2.32.3", "2.32.*", "2.32.3", false),
                        new Row("jupyterlab", "4.2.6", "4.2.*", "4.2.6", false)),
                report.images().get(1).rows());
        assertEquals(
                new Row("cupy", "13.3.0", "13.3.*", "13.3.0", false),
                report.images().get(0).rows().get(4));
    }

    @Test
    void minorTarget_comparesWithinTheSameMajor() {
        StalenessReport report =
                StalenessReport.build(ReportFixtures.release("1.1.0", false), ReportFixtures.channel());
        assertEquals("minor", report.releaseType());
        assertEquals(
                List.of(
                        new Row("newpkg", "0.3.0", "0.*", "0.3.0", false),
                        new Row("numpy", "1.26.5", "1.*", "1.26.5", false),
                        new Row("pandas", "2.2.3", "2.*", "2.3.0", true),
                        new Row("requests", "2.32.3", "2.*", "2.32.3", false),
                        new Row("jupyterlab", "4.3.0", "4.*", "4.4.0", true)),
                report.images().get(1).rows());
    }

    @Test
    void majorTarget_comparesWithTheNewestOverall() {
        StalenessReport report =
                StalenessReport.build(ReportFixtures.release("2.0.0", false), ReportFixtures.channel());
        assertEquals("major", report.releaseType());
        List<Row> cpu = report.images().get(1).rows();
        assertEquals(new Row("numpy", "2.0.0", "any", "2.2.3", true), cpu.get(1));
        assertEquals(new Row("pandas", "3.0.0", "any", "3.0.0", false), cpu.get(2));
        assertTrue(cpu.stream().noneMatch(r -> r.name().equals("python")), "python is left out");
    }

    @Test
    void markdown_marksStaleRowsRed() {
        String markdown = StalenessReport.build(ReportFixtures.release("1.0.1", false), ReportFixtures.channel())
                .toMarkdown();
        assertTrue(
                markdown.contains("\n# Staleness Report: 1.0.1(cpu)\n\n"
                        + "Package|Current Version in the Distribution image|Latest Relevant Version in Upstream\n"
                        + "---|---|---\n"
                        + "${\\color{red}numpy}$|1.26.4|1.26.5\n"
                        + "pandas|2.2.3|2.2.3\n"),
                markdown);
    }

    @Test
    void unknownVersion_isAClearError() {
        BaseNotFoundException e =
                assertThrows(BaseNotFoundException.class, () -> ReportFixtures.release("1.0.7", false));
        assertTrue(
                e.getMessage().startsWith("version 1.0.7 has no artifacts at build_artifacts/v1/v1.0/v1.0.7"),
                e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "PATCH, 1.26.4, 1.26.*",
        "MINOR, 1.26.4, 1.*",
        "MAJOR, 1.26.4, any",
        "PATCH, 0.55b1, 0.55.*",
        "MINOR, 2024.07.02, 2024.*",
        "PATCH, 2024.07.02, 2024.07.*",
        "PATCH, 2025b, 2025.*",
        "PATCH, 1!2.3.4, 1!2.3.*",
        "PATCH, 22, 22.*",
        "MINOR, abc, any",
    })
    void scope_followsTheReleaseType(ReleaseType type, String installed, String expected) {
        assertEquals(expected, StalenessReport.scope(type, installed));
    }
}
