package io.smdrelease.cdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;

/**
 * A state machine definition file ({@code statemachine/*.asl.json}) as the stack deploys it: an S3 file asset
 * ({@code DefinitionS3Location}), so the template carries no ASL and stays far below CloudFormation's 51,200-byte
 * {@code TemplateBody} limit however the definitions grow. Its {@code ${Placeholders}} are filled by CloudFormation
 * ({@code DefinitionSubstitutions}).
 */
final class AslFile {
    private AslFile() {}

    /** The file as a definition body, after checking it is JSON: a broken file fails synthesis, naming it. */
    static DefinitionBody definitionBody(Path file) {
        check(file);
        return DefinitionBody.fromFile(file.toString());
    }

    static void check(Path file) {
        try {
            new ObjectMapper().readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "The state machine definition " + file + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the state machine definition " + file, e);
        }
    }
}
