package io.smdrelease.release;

import io.smdrelease.buildplan.CodeBuildVariable;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One candidate build of a release plan: what the state machine's Map hands to CodeBuild for an image type.
 *
 * @param projectName  the CodeBuild project of the image type; {@code null} where no CodeBuild runs (the CLI)
 * @param candidateTag the tag the tested image gets in the staging repository
 * @param environment  the build's environment, exactly the {@code EnvironmentVariablesOverride} of StartBuild
 */
public record PlannedBuild(
        String imageType, String projectName, String candidateTag, List<CodeBuildVariable> environment) {

    public PlannedBuild {
        environment = List.copyOf(environment);
    }

    /** The environment as a map, for running the build scripts locally. */
    public Map<String, String> environmentMap() {
        return environment.stream()
                .collect(Collectors.toMap(
                        CodeBuildVariable::name, CodeBuildVariable::value, (a, b) -> b, java.util.LinkedHashMap::new));
    }
}
