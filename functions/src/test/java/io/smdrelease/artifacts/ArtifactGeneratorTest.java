package io.smdrelease.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.error.BaseNotFoundException;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.error.MissingArtifactException;
import io.smdrelease.error.VersionExistsException;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.testsupport.Trees;
import io.smdrelease.version.ReleaseType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/original-tool.md §2 rule by rule, on the small sample distribution in examples/. */
class ArtifactGeneratorTest {
    private static final String BASE = "build_artifacts/v1/v1.2/v1.2.0";

    @TempDir
    Path root;

    private ArtifactGenerator generator;

    @BeforeEach
    void copySample() {
        Trees.copy(Trees.examples(), root);
        generator = new ArtifactGenerator(new LocalDirStore(root), ImageConfigs.builtIn());
    }

    private GeneratedVersion create(ReleaseType type, String base, String pre, boolean force) {
        return generator.create(new CreateRequest(type, base, pre, force));
    }

    private String file(String path) {
        return Trees.read(root.resolve(path));
    }

    @Test
    void createsPatch_boundsFromTheBaseEnvOut() {
        GeneratedVersion v = create(ReleaseType.PATCH, "1.2.0", null, false);
        assertEquals("1.2.1", v.target().toString());
        assertEquals(
                "# This file is auto-generated.\n"
                        + "conda-forge::python[version='>=3.12.4,<3.13.0']\n"
                        + "conda-forge::numpy[version='>=1.26.4,<1.27.0']\n"
                        + "conda-forge::scikit-learn[version='>=1.4.1.post1,<1.5.0']\n"
                        + "conda-forge::jupyterlab[version='>=4.2.3,<4.3.0']\n"
                        + "conda-forge::tzdata[version='>=2024a,<2024.1.0']\n",
                file("build_artifacts/v1/v1.2/v1.2.1/cpu.env.in"));
        assertEquals("1.2.0", file("build_artifacts/v1/v1.2/v1.2.1/source-version.txt"));
    }

    @Test
    void createsPatch_copiesStaticFilesTemplateAndAssets() {
        create(ReleaseType.PATCH, "1.2.0", null, false);
        Path target = root.resolve("build_artifacts/v1/v1.2/v1.2.1");
        for (String name : new String[] {
            "gpu.arg_based_env.in",
            "cpu.pinned_env.in",
            "gpu.pinned_env.in",
            "patch_sample.json",
            "Dockerfile",
            "aws-cli-public-key.asc",
            "dirs/etc/jupyter/jupyter_server_config.json"
        }) {
            assertTrue(Files.isRegularFile(target.resolve(name)), name);
        }
        assertFalse(Files.exists(target.resolve("cpu.env.out")));
        assertFalse(Files.exists(target.resolve("gpu.env.out")));
        assertEquals(file("template/v1/v1.2/Dockerfile"), Trees.read(target.resolve("Dockerfile")));
    }

    @Test
    void createsMinor_additionalPackagesFirstAndTheirConstraintsDropped() {
        GeneratedVersion v = create(ReleaseType.MINOR, "1.2.0", null, false);
        assertEquals("1.3.0", v.target().toString());
        assertEquals(
                "# This file is auto-generated.\n"
                        + "conda-forge::polars\n"
                        + "conda-forge::numpy[version='>=1.26.4,<2.0.0']\n"
                        + "conda-forge::python[version='>=3.12.4,<3.13.0']\n"
                        + "conda-forge::scikit-learn[version='>=1.4.1.post1,<2.0.0']\n"
                        + "conda-forge::jupyterlab[version='>=4.2.3,<5.0.0']\n"
                        + "conda-forge::tzdata[version='>=2024a,<2025.0.0']\n",
                file("build_artifacts/v1/v1.3/v1.3.0/cpu.env.in"));
        assertEquals("template/v1/v1.3", v.templateCreated());
        assertEquals(file("template/v1/v1.2/Dockerfile"), file("template/v1/v1.3/Dockerfile"));
        assertEquals(file("template/v1/v1.3/Dockerfile"), file("build_artifacts/v1/v1.3/v1.3.0/Dockerfile"));
        assertTrue(Files.exists(
                root.resolve("build_artifacts/v1/v1.3/v1.3.0/dirs/etc/jupyter/jupyter_server_config.json")));
        assertTrue(
                Files.exists(root.resolve("build_artifacts/v1/v1.3/v1.3.0/cpu.additional_packages_env.in")),
                "the additional packages file is the release's input and stays");
    }

    @Test
    void createsMajor_withoutUpperBounds_andKeepsAnExistingTemplate() {
        Trees.write(root.resolve("template/v2/v2.0/Dockerfile"), "FROM v2\n");
        create(ReleaseType.MAJOR, "1.2.0", null, false);
        String gpu = file("build_artifacts/v2/v2.0/v2.0.0/gpu.env.in");
        assertTrue(gpu.contains("conda-forge::pytorch[version='>=2.3.1']\n"), gpu);
        assertEquals("FROM v2\n", file("build_artifacts/v2/v2.0/v2.0.0/Dockerfile"));
        assertFalse(Files.exists(root.resolve("build_artifacts/v2/v2.0/v2.0.0/dirs")), "template v2.0 has no dirs/");
    }

    @Test
    void minorZeroWithoutTemplate_isAClearError() {
        MissingArtifactException e =
                assertThrows(MissingArtifactException.class, () -> create(ReleaseType.MAJOR, "1.2.0", null, false));
        assertEquals(
                "Cannot auto-create template for v2.0 — no previous minor exists. Please create template/v2/v2.0/"
                        + " manually with a Dockerfile and dirs/.",
                e.getMessage());
    }

    @Test
    void missingPreviousMinorTemplate_isAClearError() throws Exception {
        Trees.copy(root.resolve(BASE), root.resolve("build_artifacts/v1/v1.4/v1.4.0"));
        MissingArtifactException e =
                assertThrows(MissingArtifactException.class, () -> create(ReleaseType.MINOR, "1.4.0", null, false));
        assertTrue(
                e.getMessage().startsWith("Previous minor template template/v1/v1.4 does not exist"), e.getMessage());
        assertFalse(Files.exists(root.resolve("build_artifacts/v1/v1.5")));
    }

    @Test
    void prereleaseCarriesOverIntoANestedDirectory() {
        Trees.write(root.resolve("template/v2/v2.0/Dockerfile"), "FROM v2\n");
        GeneratedVersion beta = create(ReleaseType.MAJOR, "1.2.0", "beta", false);
        assertEquals("build_artifacts/v2/v2.0/v2.0.0/v2.0.0-beta", beta.versionDir());
        assertTrue(Files.isRegularFile(root.resolve("build_artifacts/v2/v2.0/v2.0.0/v2.0.0-beta/cpu.env.in")));
        GeneratedVersion next = create(ReleaseType.PATCH, "2.0.0-beta", null, false);
        assertEquals("2.0.1-beta", next.target().toString());
        assertEquals("build_artifacts/v2/v2.0/v2.0.1/v2.0.1-beta", next.versionDir());
    }

    @Test
    void force_keepsAdditionalPackagesAndDeletesEverythingElse() {
        create(ReleaseType.PATCH, "1.2.0", null, false);
        Path target = root.resolve("build_artifacts/v1/v1.2/v1.2.1");
        Trees.write(target.resolve("gpu.additional_packages_env.in"), "conda-forge::cupy\n");
        Trees.write(target.resolve("cpu.env.out"), "@EXPLICIT\n");
        Trees.write(target.resolve("v1.2.1-rc/cpu.env.in"), "old prerelease\n");

        assertThrows(VersionExistsException.class, () -> create(ReleaseType.PATCH, "1.2.0", null, false));
        create(ReleaseType.PATCH, "1.2.0", null, true);

        assertEquals("conda-forge::cupy\n", Trees.read(target.resolve("gpu.additional_packages_env.in")));
        assertTrue(file("build_artifacts/v1/v1.2/v1.2.1/gpu.env.in")
                .startsWith("# This file is auto-generated.\nconda-forge::cupy\nconda-forge::python["));
        assertFalse(Files.exists(target.resolve("cpu.env.out")));
        assertFalse(Files.exists(target.resolve("v1.2.1-rc")));
    }

    @Test
    void missingBaseFilesReadAsEmpty() throws Exception {
        Files.delete(root.resolve(BASE + "/gpu.env.in"));
        Files.delete(root.resolve(BASE + "/cpu.env.out"));
        create(ReleaseType.PATCH, "1.2.0", null, false);
        assertEquals("# This file is auto-generated.\n\n", file("build_artifacts/v1/v1.2/v1.2.1/gpu.env.in"));
        assertTrue(file("build_artifacts/v1/v1.2/v1.2.1/cpu.env.in").contains("\nconda-forge::numpy\n"));
    }

    /** The original writes unbounded specs when the base has no env.out; in a checkout so do we, and say so. */
    @Test
    void baseWithoutEnvOut_writesUnboundedSpecs_andWarnsPerPackage() throws Exception {
        Files.delete(root.resolve(BASE + "/cpu.env.out"));
        Trees.write(root.resolve(BASE + "/gpu.env.out"), "# platform: linux-64\n@EXPLICIT\n");
        GeneratedVersion v = create(ReleaseType.PATCH, "1.2.0", null, false);
        assertEquals(
                "# This file is auto-generated.\nconda-forge::python\nconda-forge::numpy\nconda-forge::scikit-learn\n"
                        + "conda-forge::jupyterlab\nconda-forge::tzdata\n",
                file("build_artifacts/v1/v1.2/v1.2.1/cpu.env.in"));
        assertTrue(v.warnings()
                .contains("numpy gets no version bound in cpu.env.in: " + BASE + "/cpu.env.out is missing, so the"
                        + " base's installed version is unknown"));
        assertTrue(v.warnings()
                .contains("python gets no version bound in gpu.env.in: " + BASE + "/gpu.env.out lists no package,"
                        + " so the base's installed version is unknown"));
        assertEquals(
                v.packages().get("gpu").size() + v.packages().get("cpu").size(),
                v.warnings().size(),
                "one warning per package: " + v.warnings());
    }

    @Test
    void baseWithEnvOut_givesNoWarning_evenForPackagesItDoesNotList() {
        Trees.write(
                root.resolve("build_artifacts/v1/v1.2/v1.2.1/cpu.additional_packages_env.in"), "conda-forge::new\n");
        GeneratedVersion v = create(ReleaseType.PATCH, "1.2.0", null, false);
        assertTrue(file("build_artifacts/v1/v1.2/v1.2.1/cpu.env.in").contains("\nconda-forge::new\n"));
        assertEquals(java.util.List.of(), v.warnings());
    }

    @Test
    void missingBaseDirectory_isBaseNotFound() {
        assertThrows(BaseNotFoundException.class, () -> create(ReleaseType.PATCH, "1.2.7", null, false));
    }

    @Test
    void explicitBaseEnvIn_isAClearError() {
        Trees.write(root.resolve(BASE + "/cpu.env.in"), Trees.read(root.resolve(BASE + "/cpu.env.out")));
        InvalidInputException e =
                assertThrows(InvalidInputException.class, () -> create(ReleaseType.PATCH, "1.2.0", null, false));
        assertTrue(e.getMessage().contains(BASE + "/cpu.env.in is an explicit package list"), e.getMessage());
    }

    @Test
    void sourceVersionIsTheRawBase() {
        create(ReleaseType.PATCH, "1.2", null, false);
        assertEquals("1.2", file("build_artifacts/v1/v1.2/v1.2.1/source-version.txt"));
    }
}
