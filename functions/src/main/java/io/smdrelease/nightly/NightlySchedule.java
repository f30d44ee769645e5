package io.smdrelease.nightly;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.error.JsonSyntax;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The nightly schedule ({@code nightly-schedule.json}, the original tool's {@code NIGHTLY_BUILD_SCHEDULE}): which
 * versions are being built nightly and from which bases patch, minor and major nightlies start.
 *
 * <p>Updates follow the original {@code nightly_build_helper.py} rules (docs/original-tool.md §6), except that
 * {@code remove-version} matches versions exactly (the original's string prefix lets {@code 2.1} remove {@code 2.10.x}).
 * Unknown keys of the file are kept as they are.
 */
public record NightlySchedule(
        List<String> activeNightlyBuilds,
        List<String> patchBaseVersions,
        List<String> minorBaseVersions,
        List<String> majorBaseVersions,
        Map<String, String> otherKeys) {

    public static final String FILE = "nightly-schedule.json";
    static final String ACTIVE = "active_nightly_builds";
    static final String PATCH = "patch_base_versions";
    static final String MINOR = "minor_base_versions";
    static final String MAJOR = "major_base_versions";
    private static final Pattern EXACT = Pattern.compile("(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})");
    /** PEP 440 order of plain x.y.z versions: numeric, field by field. */
    static final Comparator<String> VERSION_ORDER = Comparator.comparingInt((String v) -> field(v, 0))
            .thenComparingInt(v -> field(v, 1))
            .thenComparingInt(v -> field(v, 2));

    public NightlySchedule {
        activeNightlyBuilds = List.copyOf(activeNightlyBuilds);
        patchBaseVersions = List.copyOf(patchBaseVersions);
        minorBaseVersions = List.copyOf(minorBaseVersions);
        majorBaseVersions = List.copyOf(majorBaseVersions);
        otherKeys = Map.copyOf(otherKeys);
    }

    public static NightlySchedule empty() {
        return new NightlySchedule(List.of(), List.of(), List.of(), List.of(), Map.of());
    }

    private static int field(String version, int index) {
        return Integer.parseInt(version.split("\\.")[index]);
    }

    /** Checks that {@code version} is exactly {@code x.y.z}. */
    public static String requireExact(String version) {
        if (version == null || !EXACT.matcher(version).matches()) {
            throw new InvalidInputException("'" + version + "' is not an x.y.z version: the nightly schedule takes only"
                    + " released versions such as 4.4.1");
        }
        return version;
    }

    /** The original's {@code add-next-versions}: run when {@code version} is released. */
    public NightlySchedule addNextVersions(String version) {
        requireExact(version);
        int x = field(version, 0);
        int y = field(version, 1);
        int z = field(version, 2);
        List<String> active = new ArrayList<>(activeNightlyBuilds);
        List<String> patch = new ArrayList<>(patchBaseVersions);
        List<String> minor = new ArrayList<>(minorBaseVersions);
        List<String> major = new ArrayList<>(majorBaseVersions);
        if (z == 0) {
            addOnce(active, x + "." + y + ".1");
            addOnce(active, x + "." + (y + 1) + ".0");
            addOnce(patch, version);
            addOnce(minor, version);
            if (y > 0) {
                replace(major, x + "." + (y - 1) + ".0", version);
            }
        } else {
            addOnce(active, x + "." + y + "." + (z + 1));
            addOnce(patch, version);
            replace(minor, x + "." + y + "." + (z - 1), version);
            replace(major, x + "." + y + "." + (z - 1), version);
        }
        return new NightlySchedule(sorted(active), sorted(patch), sorted(minor), major, otherKeys);
    }

    /**
     * The original's {@code remove-version}, matching versions exactly: every occurrence of {@code version} leaves the
     * active builds, and so do the bases it replaced. A version that is not an active build changes nothing.
     */
    public NightlySchedule removeVersion(String version) {
        requireExact(version);
        if (!activeNightlyBuilds.contains(version)) {
            return this;
        }
        int x = field(version, 0);
        int y = field(version, 1);
        int z = field(version, 2);
        List<String> active = new ArrayList<>(activeNightlyBuilds);
        List<String> patch = new ArrayList<>(patchBaseVersions);
        List<String> minor = new ArrayList<>(minorBaseVersions);
        active.removeIf(version::equals);
        if (z == 0 && y > 0) {
            minor.removeIf(v -> field(v, 0) == x && field(v, 1) == y - 1);
        } else if (z > 0) {
            String previous = x + "." + y + "." + (z - 1);
            patch.removeIf(previous::equals);
        }
        return new NightlySchedule(sorted(active), sorted(patch), sorted(minor), majorBaseVersions, otherKeys);
    }

    private static void addOnce(List<String> list, String version) {
        if (!list.contains(version)) {
            list.add(version);
        }
    }

    private static void replace(List<String> list, String old, String version) {
        int i = list.indexOf(old);
        if (i >= 0) {
            if (list.contains(version)) {
                list.remove(i);
            } else {
                list.set(i, version);
            }
        }
    }

    private static List<String> sorted(List<String> list) {
        List<String> out = new ArrayList<>(list);
        out.sort(VERSION_ORDER);
        return out;
    }

    /**
     * Reads the file: an object of string lists. Every version must be {@code x.y.z}.
     *
     * @throws InvalidInputException naming the file, the key and the value
     */
    public static NightlySchedule parse(String source, byte[] content) {
        Map<String, List<String>> lists = new TreeMap<>();
        Map<String, String> other = new TreeMap<>();
        try (JsonParser p = new JsonFactory().createParser(content)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidInputException(source + " is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken value = p.nextToken();
                if (key.equals(ACTIVE) || key.equals(PATCH) || key.equals(MINOR) || key.equals(MAJOR)) {
                    if (value != JsonToken.START_ARRAY) {
                        throw new InvalidInputException(source + ": " + key + " must be a list of versions");
                    }
                    List<String> versions = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (p.currentToken() != JsonToken.VALUE_STRING) {
                            throw new InvalidInputException(source + ": " + key + " must list versions as strings");
                        }
                        try {
                            versions.add(requireExact(p.getText()));
                        } catch (InvalidInputException e) {
                            throw new InvalidInputException(source + ": " + key + ": " + e.getMessage());
                        }
                    }
                    lists.put(key, versions);
                } else {
                    other.put(key, readRaw(p, content));
                }
            }
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(source + " is not valid JSON " + JsonSyntax.describe(e)
                    + ": fix the file, an object of version lists such as {\"" + ACTIVE + "\": [\"4.4.1\"]}");
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + source + ": " + e.getMessage(), e);
        }
        return new NightlySchedule(
                lists.getOrDefault(ACTIVE, List.of()),
                lists.getOrDefault(PATCH, List.of()),
                lists.getOrDefault(MINOR, List.of()),
                lists.getOrDefault(MAJOR, List.of()),
                other);
    }

    /** The raw JSON text of the value the parser is on, to write it back unchanged. */
    private static String readRaw(JsonParser p, byte[] content) throws IOException {
        long start = p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        long end = p.currentLocation().getByteOffset();
        return new String(content, (int) start, (int) (end - start), StandardCharsets.UTF_8).strip();
    }

    /** The original tool's bytes: {@code json.dumps(schedule, indent=4, sort_keys=True)}. */
    public byte[] toJson() {
        Map<String, String> values = new TreeMap<>(otherKeys);
        values.put(ACTIVE, list(activeNightlyBuilds));
        values.put(PATCH, list(patchBaseVersions));
        values.put(MINOR, list(minorBaseVersions));
        values.put(MAJOR, list(majorBaseVersions));
        StringBuilder out = new StringBuilder("{\n");
        int i = 0;
        for (Map.Entry<String, String> entry : values.entrySet()) {
            out.append("    \"").append(entry.getKey()).append("\": ").append(entry.getValue());
            out.append(++i < values.size() ? ",\n" : "\n");
        }
        return out.append("}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String list(List<String> versions) {
        if (versions.isEmpty()) {
            return "[]";
        }
        StringBuilder out = new StringBuilder("[\n");
        for (int i = 0; i < versions.size(); i++) {
            out.append("        \"").append(versions.get(i)).append('"').append(i + 1 < versions.size() ? ",\n" : "\n");
        }
        return out.append("    ]").toString();
    }
}
