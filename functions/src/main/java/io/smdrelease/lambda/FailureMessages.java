package io.smdrelease.lambda;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The core's messages name CLI flags where a fix needs one; an execution's user needs the input field instead. One
 * table turns the first into the second, so every failure speaks the words of the interface the user used.
 */
final class FailureMessages {
    private static final Map<String, String> FLAG_TO_FIELD = new LinkedHashMap<>();

    static {
        FLAG_TO_FIELD.put("pass --force", "set \"force\": true");
        FLAG_TO_FIELD.put("run again with --force", "start it again with \"force\": true");
        FLAG_TO_FIELD.put("with --force", "with \"force\": true");
        FLAG_TO_FIELD.put("--force", "\"force\": true");
        FLAG_TO_FIELD.put("--base-patch-version", "basePatchVersion");
        FLAG_TO_FIELD.put("--target-patch-version", "targetPatchVersion");
        FLAG_TO_FIELD.put("--pre-release-identifier", "preReleaseIdentifier");
        FLAG_TO_FIELD.put("--skip-tests", "\"skipTests\": true");
        FLAG_TO_FIELD.put("--target-ecr-repo", "targetEcrRepos");
        FLAG_TO_FIELD.put("--image-type", "imageTypes");
        FLAG_TO_FIELD.put("create-*-version-artifacts", "a release execution (releaseType, basePatchVersion)");
        FLAG_TO_FIELD.put("create-patch-version-artifacts", "a patch release (releaseType: patch)");
    }

    private FailureMessages() {}

    /** The message with every CLI flag replaced by the execution input field that does the same. */
    static String forExecutionInput(String message) {
        String out = message;
        for (Map.Entry<String, String> entry : FLAG_TO_FIELD.entrySet()) {
            out = out.replace(entry.getKey(), entry.getValue());
        }
        return out;
    }
}
