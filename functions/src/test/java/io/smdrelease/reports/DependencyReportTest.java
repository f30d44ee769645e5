package io.smdrelease.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.reports.DependencyReport.Row;
import java.util.List;
import org.junit.jupiter.api.Test;

class DependencyReportTest {
    @Test
    void minorTarget_listsTheDependsOfDirectlyAddedPackages() {
        DependencyReport report =
                DependencyReport.build(ReportFixtures.release("1.1.0", true), ReportFixtures.channel());
        Row newpkg = new Row("newpkg", "0.3.0", List.of("python >=3.9", "requests >=2.0", "tqdm >=4.0"));
        assertEquals(List.of(newpkg), report.images().get(1).rows(), "tqdm is added indirectly, so not listed");
        assertEquals(List.of(newpkg), report.images().get(0).rows(), "cupy changed version, it was not added");
        assertTrue(
                report.toMarkdown()
                        .contains("### New Direct Packages and their Dependencies\n\n"
                                + "Package|Version in the Target Image|Dependencies\n---|---|---\n"
                                + "newpkg|0.3.0|python >=3.9, requests >=2.0, tqdm >=4.0\n"),
                report.toMarkdown());
    }

    @Test
    void majorTarget_withNothingAdded_saysSo() {
        DependencyReport report =
                DependencyReport.build(ReportFixtures.release("2.0.0", true), ReportFixtures.channel());
        assertEquals(List.of(), report.images().get(1).rows());
        assertTrue(report.toMarkdown().contains("No direct package was added since 1.1.0."));
    }

    @Test
    void patchTarget_isNotCovered() {
        ReleaseImages patch = ReportFixtures.release("1.0.1", true);
        assertFalse(DependencyReport.appliesTo(patch));
        assertThrows(IllegalArgumentException.class, () -> DependencyReport.build(patch, ReportFixtures.channel()));
    }
}
