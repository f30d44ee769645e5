package io.smdrelease.cli;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says the pipeline's input messages ({@code ReleaseInput.parse} and Generate's checks name the input's fields) in the
 * words of {@code release start}'s flags: {@code basePatchVersion} becomes {@code --base-patch-version}, and an
 * example such as {@code {"targetPatchVersion":"4.4.2","promote":true}} becomes
 * {@code --target-patch-version 4.4.2 --promote}.
 */
final class InputFlagWords {
    private static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("releaseType", "--release-type"),
            Map.entry("basePatchVersion", "--base-patch-version"),
            Map.entry("targetPatchVersion", "--target-patch-version"),
            Map.entry("preReleaseIdentifier", "--pre-release-identifier"),
            Map.entry("force", "--force"),
            Map.entry("skipTests", "--skip-tests"),
            Map.entry("targetEcrRepos", "--target-ecr-repo"),
            Map.entry("region", "--registry-region"),
            Map.entry("imageTypes", "--image-type"),
            Map.entry("validateSize", "--validate-size"),
            Map.entry("approval", "--approval"),
            Map.entry("candidateOnly", "--candidate-only"),
            Map.entry("promote", "--promote"),
            Map.entry("updateNightlySchedule", "--update-nightly-schedule"));

    /** A JSON object example, e.g. {"targetPatchVersion":"4.4.2","promote":true}. */
    private static final Pattern EXAMPLE = Pattern.compile("\\{(\"[A-Za-z]+\":[^{}]*)}");

    private static final Pattern MEMBER = Pattern.compile("\"([A-Za-z]+)\":\\s*(\"[^\"]*\"|true|false|\\[[^\\]]*])");
    /**
     * A field name standing as a word. The fields that are also English words ({@code force}, {@code promote},
     * {@code approval}, {@code region}) only where a message names them as fields: at its start or after "drop".
     */
    private static final Pattern FIELD = Pattern.compile("(?<![-\\w])(releaseType|basePatchVersion|targetPatchVersion"
            + "|preReleaseIdentifier|skipTests|targetEcrRepos|imageTypes|validateSize|candidateOnly"
            + "|updateNightlySchedule)(?![-\\w])|(?<=^|drop )(force|promote|approval|region)(?![-\\w])");

    private InputFlagWords() {}

    static String flagOf(String field) {
        return FLAGS.getOrDefault(field, field);
    }

    static String say(String message) {
        Matcher examples = EXAMPLE.matcher(message);
        StringBuilder out = new StringBuilder();
        while (examples.find()) {
            examples.appendReplacement(out, Matcher.quoteReplacement(flags(examples.group(1))));
        }
        examples.appendTail(out);
        Matcher fields = FIELD.matcher(out.toString());
        StringBuilder said = new StringBuilder();
        while (fields.find()) {
            String field = fields.group(1) != null ? fields.group(1) : fields.group(2);
            fields.appendReplacement(said, Matcher.quoteReplacement(flagOf(field)));
        }
        fields.appendTail(said);
        return said.toString();
    }

    /** {@code "promote":true,"targetPatchVersion":"4.4.2"} → {@code --promote --target-patch-version 4.4.2}. */
    private static String flags(String members) {
        StringBuilder out = new StringBuilder();
        Matcher m = MEMBER.matcher(members);
        while (m.find()) {
            String flag = flagOf(m.group(1));
            String value = m.group(2);
            if (value.equals("false")) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append(' ');
            }
            if (value.equals("true")) {
                out.append(flag);
            } else if (value.startsWith("[")) {
                Matcher item = Pattern.compile("\"([^\"]*)\"").matcher(value);
                boolean first = true;
                while (item.find()) {
                    out.append(first ? "" : " ").append(flag).append(' ').append(item.group(1));
                    first = false;
                }
            } else {
                out.append(flag).append(' ').append(value, 1, value.length() - 1);
            }
        }
        return out.toString();
    }
}
