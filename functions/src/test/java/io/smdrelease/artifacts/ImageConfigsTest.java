package io.smdrelease.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.error.InvalidInputException;
import io.smdrelease.error.MissingArtifactException;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.testsupport.Trees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The image configurations: the distribution's own image-configs.json, else the built-in one, validated. */
class ImageConfigsTest {
    /** One valid major with one image type; tests replace parts of it. */
    static final String ONE_MAJOR =
            "{\"5\": [{\"imageType\": \"cpu\", \"buildArgs\": {\"TAG_FOR_BASE_MICROMAMBA_IMAGE\":"
                    + " \"ubuntu26.04\", \"ENV_IN_FILENAME\": \"cpu.env.in\"}, \"additionalPackagesEnvInFile\":"
                    + " \"cpu.additional_packages_env.in\", \"envOutFile\": \"cpu.env.out\", \"imageTagPattern\":"
                    + " \"{image_version}-cpu\", \"pytestFlags\": []}]}";

    @TempDir
    Path root;

    @Test
    void builtIn_hasTheOriginalsMajors_gpuFirst() {
        ImageConfigs builtIn = ImageConfigs.builtIn();
        assertEquals("the built-in image-configs.json", builtIn.source());
        for (int major = 0; major <= 4; major++) {
            assertEquals(
                    List.of("gpu", "cpu"),
                    builtIn.forMajor(major).stream().map(ImageConfig::imageType).toList());
        }
        assertEquals(
                "cuda12.9.1-ubuntu24.04", builtIn.forType(4, "gpu").buildArgs().get("TAG_FOR_BASE_MICROMAMBA_IMAGE"));
    }

    @Test
    void load_withoutAFile_isTheBuiltInOne_andAMissingMajorSaysWhereToAddIt() {
        ImageConfigs configs = ImageConfigs.load(new LocalDirStore(root));
        assertEquals("the built-in image-configs.json", configs.source());
        MissingArtifactException e = assertThrows(MissingArtifactException.class, () -> configs.forMajor(5));
        assertEquals(
                "no image configuration for major version 5 in the built-in image-configs.json (known: [0, 1, 2, 3,"
                        + " 4]): put an image-configs.json with an entry \"5\" at " + root
                        + "/image-configs.json (start from a copy of the built-in one,"
                        + " functions/src/main/resources/io/smdrelease/artifacts/image-configs.json)",
                e.getMessage());
    }

    @Test
    void load_readsTheDistributionsFile_whichReplacesTheBuiltInOne() {
        Trees.write(root.resolve(ImageConfigs.FILE), ONE_MAJOR);
        ImageConfigs configs = ImageConfigs.load(new LocalDirStore(root));
        assertEquals(root + "/image-configs.json", configs.source());
        ImageConfig cpu = configs.forType(5, "cpu");
        assertEquals(
                Map.of("TAG_FOR_BASE_MICROMAMBA_IMAGE", "ubuntu26.04", "ENV_IN_FILENAME", "cpu.env.in"),
                cpu.buildArgs());
        assertEquals("5.0.0-cpu", cpu.tag("5.0.0"));
        MissingArtifactException e = assertThrows(MissingArtifactException.class, () -> configs.forMajor(4));
        assertEquals(
                "no image configuration for major version 4 in " + root + "/image-configs.json (known: [5]): add an"
                        + " entry \"4\" to it",
                e.getMessage());
    }

    @Test
    void pytestFlags_areOptional() {
        ImageConfigs configs = ImageConfigs.parse(
                "f.json", ONE_MAJOR.replace(", \"pytestFlags\": []", "").getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(), configs.forType(5, "cpu").pytestFlags());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "not JSON | {\"5\": [ | f.json is not valid JSON at line 1, column 8: Unexpected end-of-input",
                "not an object | [] | f.json must be a JSON object of major versions, e.g. {\"4\": [{\"imageType\": \"gpu\", ...}, ...]}",
                "no major | {\"_comment\": \"x\"} | f.json defines no major version: add one, e.g. \"4\": [...]",
                "key not a major | {\"four\": []} | f.json: key \"four\" is not a major version: use its number, e.g. \"4\" (keys starting with _ are comments)",
                "huge major | {\"99999999999\": []} | f.json: key \"99999999999\" is not a major version",
                "duplicate major | DUPLICATE | f.json is not valid JSON at line 1, column 285: Duplicate field '5'",
                "empty list | {\"5\": []} | f.json: \"5\" must be a non-empty list of image configurations",
                "list of strings | {\"5\": [\"cpu\"]} | f.json: \"5\"[0] must be an object (an image configuration)",
                "missing field | DROP(\"envOutFile\": \"cpu.env.out\", ) | f.json: \"5\"[0] has no envOutFile: every image configuration needs imageType, buildArgs, additionalPackagesEnvInFile, envOutFile and imageTagPattern",
                "wrong type | SET(\"imageType\": \"cpu\"=\"imageType\": 1) | f.json: \"5\"[0].imageType must be a string",
                "bad image type | SET(\"imageType\": \"cpu\"=\"imageType\": \"CPU x\") | f.json: \"5\"[0].imageType 'CPU x' is not an image type: use lower-case letters, digits and -, e.g. cpu",
                "unknown field | SET(\"pytestFlags\"=\"pytestFlag\") | f.json: \"5\"[0] has an unknown field pytestFlag: the fields are imageType, buildArgs, additionalPackagesEnvInFile, envOutFile, imageTagPattern, pytestFlags and cudaFrameworks",
                "build arg not a string | SET(\"ubuntu26.04\"=26) | f.json: \"5\"[0].buildArgs.TAG_FOR_BASE_MICROMAMBA_IMAGE must be a string",
                "no env.in build arg | SET(\"ENV_IN_FILENAME\"=\"ENV_FILE\") | f.json: \"5\"[0].buildArgs has no ENV_IN_FILENAME: name the env.in file the image is built from, e.g. cpu.env.in",
                "file name with a path | SET(\"cpu.env.out\"=\"../cpu.env.out\") | f.json: \"5\"[0].envOutFile '../cpu.env.out' is not a file name: the file lies in the version directory, e.g. cpu.env.out",
                "tag without version | SET(\"{image_version}-cpu\"=\"latest-cpu\") | f.json: \"5\"[0].imageTagPattern 'latest-cpu' has no {image_version}: e.g. {image_version}-cpu",
                "pytest flag not a string | SET(\"pytestFlags\": []=\"pytestFlags\": [1]) | f.json: \"5\"[0].pytestFlags must be a list of strings",
                "image type twice | TWICE | f.json: \"5\" lists image type cpu twice",
            })
    void aBrokenFile_isNamedWithTheFieldAndTheFix(String name, String edit, String message) {
        String json = edit;
        if (edit.startsWith("DROP(")) {
            json = ONE_MAJOR.replace(edit.substring(5, edit.length() - 1), "");
        } else if (edit.startsWith("SET(")) {
            String[] parts = edit.substring(4, edit.length() - 1).split("=", 2);
            json = ONE_MAJOR.replace(parts[0], parts[1]);
        } else if (edit.equals("DUPLICATE")) {
            json = ONE_MAJOR.substring(0, ONE_MAJOR.length() - 1) + ", \"5\": []}";
        } else if (edit.equals("TWICE")) {
            String config = ONE_MAJOR.substring(ONE_MAJOR.indexOf('{', 1), ONE_MAJOR.lastIndexOf(']'));
            json = "{\"5\": [" + config + ", " + config + "]}";
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageConfigs.parse("f.json", bytes));
        assertTrue(e.getMessage().startsWith(message), name + ": " + e.getMessage());
        assertTrue(!e.getMessage().contains("\n") && !e.getMessage().contains("REDACTED"), e.getMessage());
    }
}
