package io.smdrelease.artifacts;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.error.JsonSyntax;
import io.smdrelease.error.MissingArtifactException;
import io.smdrelease.store.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

/**
 * The image configurations per major version: data a release engineer changes without rebuilding this tool. A
 * distribution may keep its own {@value #FILE} at its root (in a checkout and in the bucket); it replaces the built-in
 * one, a resource of this package (the original tool's configurations). Parsed with Jackson's streaming parser, which
 * keeps CLI start-up short, and validated: every message names the file, the entry and the fix.
 */
public final class ImageConfigs {
    /** The file name, at the root of a distribution and as the built-in resource. */
    public static final String FILE = "image-configs.json";

    static final String BUILT_IN_SOURCE = "functions/src/main/resources/io/smdrelease/artifacts/" + FILE;
    private static final Pattern MAJOR = Pattern.compile("0|[1-9]\\d{0,8}");
    private static final Pattern IMAGE_TYPE = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final String FIELDS =
            "imageType, buildArgs, additionalPackagesEnvInFile, envOutFile, imageTagPattern, pytestFlags and cudaFrameworks";
    private static final String REQUIRED =
            "imageType, buildArgs, additionalPackagesEnvInFile, envOutFile and imageTagPattern";

    private final Map<Integer, List<ImageConfig>> byMajor;
    private final String source;
    /** How to add a major version that has no configuration, for {@link #forMajor}'s message. */
    private final IntFunction<String> toAddAMajor;

    private ImageConfigs(Map<Integer, List<ImageConfig>> byMajor, String source, IntFunction<String> toAddAMajor) {
        this.byMajor = byMajor;
        this.source = source;
        this.toAddAMajor = toAddAMajor;
    }

    /** The configurations shipped with this tool. */
    public static ImageConfigs builtIn() {
        return builtIn("the distribution's root");
    }

    /** The built-in configurations; {@code root} names where a distribution's own file would go. */
    private static ImageConfigs builtIn(String root) {
        try (InputStream in = ImageConfigs.class.getResourceAsStream(FILE)) {
            if (in == null) {
                throw new IllegalStateException(FILE + " is missing from the jar");
            }
            ImageConfigs parsed = parse("the built-in " + FILE, in.readAllBytes());
            return new ImageConfigs(
                    parsed.byMajor,
                    parsed.source,
                    major -> "put an image-configs.json with an entry \"" + major + "\" at " + root
                            + " (start from a copy of the built-in one, " + BUILT_IN_SOURCE + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE, e);
        }
    }

    /**
     * The distribution's {@value #FILE} at the root of {@code store}, or the built-in configurations when it has none.
     *
     * @throws InvalidInputException when the distribution's file is malformed, naming the entry and the fix
     */
    public static ImageConfigs load(ArtifactStore store) {
        Optional<byte[]> own = store.read(FILE);
        String path = store.location().endsWith("/") ? store.location() + FILE : store.locationOf(FILE);
        if (own.isEmpty()) {
            return builtIn(path);
        }
        return parse(path, own.get());
    }

    /**
     * Parses and validates an image-configs.json.
     *
     * @param source the file, for messages
     * @throws InvalidInputException naming the file, the entry and the fix
     */
    public static ImageConfigs parse(String source, byte[] content) {
        Map<Integer, List<ImageConfig>> byMajor = new TreeMap<>();
        JsonFactory json = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        try (JsonParser p = json.createParser(content)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidInputException(source + " must be a JSON object of major versions, e.g. {\"4\":"
                        + " [{\"imageType\": \"gpu\", ...}, ...]}");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken value = p.nextToken();
                if (key.startsWith("_")) {
                    p.skipChildren();
                    continue;
                }
                if (!MAJOR.matcher(key).matches()) {
                    throw new InvalidInputException(source + ": key \"" + key + "\" is not a major version: use its"
                            + " number, e.g. \"4\" (keys starting with _ are comments)");
                }
                String where = "\"" + key + "\"";
                if (value != JsonToken.START_ARRAY) {
                    throw new InvalidInputException(
                            source + ": " + where + " must be a non-empty list of image configurations");
                }
                List<ImageConfig> configs = new ArrayList<>();
                Set<String> types = new HashSet<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    String at = where + "[" + configs.size() + "]";
                    if (p.currentToken() != JsonToken.START_OBJECT) {
                        throw new InvalidInputException(
                                source + ": " + at + " must be an object (an image" + " configuration)");
                    }
                    ImageConfig config = readConfig(p, source + ": " + at);
                    if (!types.add(config.imageType())) {
                        throw new InvalidInputException(
                                source + ": " + where + " lists image type " + config.imageType() + " twice");
                    }
                    configs.add(config);
                }
                if (configs.isEmpty()) {
                    throw new InvalidInputException(
                            source + ": " + where + " must be a non-empty list of image configurations");
                }
                byMajor.put(Integer.parseInt(key), List.copyOf(configs));
            }
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(source + " is not valid JSON " + JsonSyntax.describe(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        }
        if (byMajor.isEmpty()) {
            throw new InvalidInputException(source + " defines no major version: add one, e.g. \"4\": [...]");
        }
        return new ImageConfigs(byMajor, source, major -> "add an entry \"" + major + "\" to it");
    }

    /** One image configuration; {@code at} names it in messages ({@code file: "4"[0]}). */
    private static ImageConfig readConfig(JsonParser p, String at) throws IOException {
        String imageType = null;
        String additional = null;
        String envOut = null;
        String tagPattern = null;
        Map<String, String> buildArgs = null;
        List<String> pytestFlags = List.of();
        List<String> cudaFrameworks = List.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "imageType" -> imageType = imageType(p, at + "." + field);
                case "additionalPackagesEnvInFile" -> additional = fileName(p, at + "." + field);
                case "envOutFile" -> envOut = fileName(p, at + "." + field);
                case "imageTagPattern" -> tagPattern = tagPattern(p, at + "." + field);
                case "buildArgs" -> buildArgs = buildArgs(p, at + "." + field);
                case "pytestFlags" -> pytestFlags = strings(p, at + "." + field);
                case "cudaFrameworks" -> cudaFrameworks = strings(p, at + "." + field);
                default ->
                    throw new InvalidInputException(
                            at + " has an unknown field " + field + ": the fields are " + FIELDS);
            }
        }
        List<String> missing = new ArrayList<>();
        if (imageType == null) {
            missing.add("imageType");
        }
        if (buildArgs == null) {
            missing.add("buildArgs");
        }
        if (additional == null) {
            missing.add("additionalPackagesEnvInFile");
        }
        if (envOut == null) {
            missing.add("envOutFile");
        }
        if (tagPattern == null) {
            missing.add("imageTagPattern");
        }
        if (!missing.isEmpty()) {
            throw new InvalidInputException(
                    at + " has no " + String.join(", ", missing) + ": every image configuration needs " + REQUIRED);
        }
        return new ImageConfig(imageType, buildArgs, additional, envOut, tagPattern, pytestFlags, cudaFrameworks);
    }

    private static String string(JsonParser p, String at) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new InvalidInputException(at + " must be a string");
        }
        return p.getText();
    }

    private static String imageType(JsonParser p, String at) throws IOException {
        String type = string(p, at);
        if (!IMAGE_TYPE.matcher(type).matches()) {
            throw new InvalidInputException(
                    at + " '" + type + "' is not an image type: use lower-case letters," + " digits and -, e.g. cpu");
        }
        return type;
    }

    /** A file of the version directory: a plain name, since it is joined to store paths. */
    private static String fileName(JsonParser p, String at) throws IOException {
        String name = string(p, at);
        if (!FILE_NAME.matcher(name).matches()) {
            throw new InvalidInputException(at + " '" + name + "' is not a file name: the file lies in the version"
                    + " directory, e.g. cpu.env.out");
        }
        return name;
    }

    private static String tagPattern(JsonParser p, String at) throws IOException {
        String pattern = string(p, at);
        if (!pattern.contains("{image_version}")) {
            throw new InvalidInputException(at + " '" + pattern + "' has no {image_version}: e.g. {image_version}-cpu");
        }
        return pattern;
    }

    private static Map<String, String> buildArgs(JsonParser p, String at) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new InvalidInputException(at + " must be an object of docker build args");
        }
        Map<String, String> args = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            args.put(name, string(p, at + "." + name));
        }
        String envIn = args.get(ImageConfig.ENV_IN_FILENAME);
        if (envIn == null) {
            throw new InvalidInputException(at + " has no " + ImageConfig.ENV_IN_FILENAME + ": name the env.in file"
                    + " the image is built from, e.g. cpu.env.in");
        }
        if (!FILE_NAME.matcher(envIn).matches()) {
            throw new InvalidInputException(at + "." + ImageConfig.ENV_IN_FILENAME + " '" + envIn + "' is not a file"
                    + " name: the file lies in the version directory, e.g. cpu.env.in");
        }
        return args;
    }

    private static List<String> strings(JsonParser p, String at) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new InvalidInputException(at + " must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw new InvalidInputException(at + " must be a list of strings");
            }
            out.add(p.getText());
        }
        return out;
    }

    /** Where these configurations come from: a file's path, or {@code the built-in image-configs.json}. */
    public String source() {
        return source;
    }

    /**
     * The configurations of a major version, gpu first.
     *
     * @throws MissingArtifactException when the major version has none, naming the file to add it to
     */
    public List<ImageConfig> forMajor(int major) {
        List<ImageConfig> configs = byMajor.get(major);
        if (configs == null) {
            throw new MissingArtifactException("no image configuration for major version " + major + " in " + source
                    + " (known: " + byMajor.keySet() + "): " + toAddAMajor.apply(major));
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
        throw new InvalidInputException(
                "image type '" + imageType + "' is not one of " + known + " for major version " + major);
    }
}
