package io.smdrelease.artifacts;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one image type of a major version is built.
 *
 * @param imageType                   {@code cpu} or {@code gpu}
 * @param buildArgs                   docker build args in order, incl. {@code ENV_IN_FILENAME}
 * @param additionalPackagesEnvInFile the target version's file of packages to add
 * @param envOutFile                  the explicit package list the build exports
 * @param imageTagPattern             the tag pattern, {@code {image_version}-cpu}
 * @param pytestFlags                 extra flags for the image tests ({@code --use-gpu})
 * @param cudaFrameworks              packages a gpu image must carry as CUDA builds when it has them (the variant
 *                                    gate); empty for a cpu image, which may carry no CUDA build at all
 */
public record ImageConfig(
        String imageType,
        Map<String, String> buildArgs,
        String additionalPackagesEnvInFile,
        String envOutFile,
        String imageTagPattern,
        List<String> pytestFlags,
        List<String> cudaFrameworks) {

    public static final String ENV_IN_FILENAME = "ENV_IN_FILENAME";
    public static final String ARG_BASED_ENV_IN_FILENAME = "ARG_BASED_ENV_IN_FILENAME";

    public ImageConfig {
        buildArgs = Collections.unmodifiableMap(new LinkedHashMap<>(buildArgs));
        pytestFlags = List.copyOf(pytestFlags);
        cudaFrameworks = List.copyOf(cudaFrameworks);
    }

    /** The env.in file the generator writes: {@code cpu.env.in}. */
    public String envInFile() {
        return buildArgs.get(ENV_IN_FILENAME);
    }

    /** The image tag for a version label: {@code 4.4.1} gives {@code 4.4.1-cpu}. */
    public String tag(String imageVersion) {
        return imageTagPattern.replace("{image_version}", imageVersion);
    }
}
