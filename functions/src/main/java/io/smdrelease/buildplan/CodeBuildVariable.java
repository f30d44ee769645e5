package io.smdrelease.buildplan;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One CodeBuild environment variable override, serialised the way {@code StartBuild}'s
 * {@code EnvironmentVariablesOverride} takes it: {@code {"Name":…,"Value":…,"Type":"PLAINTEXT"}}.
 */
@JsonPropertyOrder({"Name", "Value", "Type"})
public record CodeBuildVariable(
        @JsonProperty("Name") String name,
        @JsonProperty("Value") String value,
        @JsonProperty("Type") String type) {

    public static final String PLAINTEXT = "PLAINTEXT";

    public static CodeBuildVariable plaintext(String name, String value) {
        return new CodeBuildVariable(name, value, PLAINTEXT);
    }
}
