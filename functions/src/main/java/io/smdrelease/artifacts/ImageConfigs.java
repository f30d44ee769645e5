package io.smdrelease.artifacts;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.smdrelease.error.MissingArtifactException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The image configurations per major version, read from {@code image-configs.json} (a resource of this package): a new
 * major version is a data change. Parsed with Jackson's streaming parser, which keeps CLI start-up short.
 */
public final class ImageConfigs {
    private static final String RESOURCE = "image-configs.json";
    private final Map<Integer, List<ImageConfig>> byMajor;

    private ImageConfigs(Map<Integer, List<ImageConfig>> byMajor) {
        this.byMajor = byMajor;
    }

    /** The configurations shipped with this tool. */
    public static ImageConfigs builtIn() {
        try (InputStream in = ImageConfigs.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static ImageConfigs parse(InputStream in) throws IOException {
        Map<Integer, List<ImageConfig>> byMajor = new TreeMap<>();
        try (JsonParser p = new JsonFactory().createParser(in)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, p);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken value = p.nextToken();
                if (key.startsWith("_")) {
                    p.skipChildren();
                    continue;
                }
                expect(value, JsonToken.START_ARRAY, p);
                List<ImageConfig> configs = new ArrayList<>();
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    configs.add(readConfig(p));
                }
                byMajor.put(Integer.parseInt(key), List.copyOf(configs));
            }
        }
        return new ImageConfigs(byMajor);
    }

    private static ImageConfig readConfig(JsonParser p) throws IOException {
        String imageType = null;
        String additional = null;
        String envOut = null;
        String tagPattern = null;
        Map<String, String> buildArgs = new LinkedHashMap<>();
        List<String> pytestFlags = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "imageType" -> imageType = p.getText();
                case "additionalPackagesEnvInFile" -> additional = p.getText();
                case "envOutFile" -> envOut = p.getText();
                case "imageTagPattern" -> tagPattern = p.getText();
                case "buildArgs" -> {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        p.nextToken();
                        buildArgs.put(name, p.getText());
                    }
                }
                case "pytestFlags" -> {
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        pytestFlags.add(p.getText());
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new ImageConfig(imageType, buildArgs, additional, envOut, tagPattern, pytestFlags);
    }

    private static void expect(JsonToken actual, JsonToken expected, JsonParser p) throws IOException {
        if (actual != expected) {
            throw new IOException(
                    RESOURCE + ": expected " + expected + " at " + p.currentLocation() + ", found " + actual);
        }
    }

    /**
     * The configurations of a major version, gpu first.
     *
     * @throws MissingArtifactException when the major version has none
     */
    public List<ImageConfig> forMajor(int major) {
        List<ImageConfig> configs = byMajor.get(major);
        if (configs == null) {
            throw new MissingArtifactException("no image configuration for major version " + major + " (known: "
                    + byMajor.keySet() + "): add an entry \"" + major + "\" to " + RESOURCE);
        }
        return configs;
    }

    /** Every image type of any major version (each needs a CodeBuild project in the pipeline). */
    public java.util.SortedSet<String> imageTypes() {
        java.util.SortedSet<String> types = new java.util.TreeSet<>();
        byMajor.values().forEach(configs -> configs.forEach(config -> types.add(config.imageType())));
        return types;
    }

    /** One image type of a major version. */
    public ImageConfig forType(int major, String imageType) {
        for (ImageConfig config : forMajor(major)) {
            if (config.imageType().equals(imageType)) {
                return config;
            }
        }
        List<String> known =
                forMajor(major).stream().map(ImageConfig::imageType).toList();
        throw new io.smdrelease.error.InvalidInputException(
                "image type '" + imageType + "' is not one of " + known + " for major version " + major);
    }
}
