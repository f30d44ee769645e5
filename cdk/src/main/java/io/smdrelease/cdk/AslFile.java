package io.smdrelease.cdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

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

    /**
     * The state machine of a definition file, the one way the stack makes one: a standard workflow whose every
     * execution is logged with its data (log group {@code logGroupName}, kept {@code logRetention}) and traced.
     * Its constructs are {@code Logs} and {@code StateMachine} in {@code scope}.
     */
    static StateMachine stateMachine(
            Construct scope,
            String name,
            String logGroupName,
            RetentionDays logRetention,
            Path file,
            Map<String, String> substitutions,
            String comment) {
        LogGroup logGroup = LogGroup.Builder.create(scope, "Logs")
                .logGroupName(logGroupName)
                .retention(logRetention)
                .build();
        return StateMachine.Builder.create(scope, "StateMachine")
                .stateMachineName(name)
                .stateMachineType(StateMachineType.STANDARD)
                .definitionBody(definitionBody(file))
                .definitionSubstitutions(substitutions)
                .logs(LogOptions.builder()
                        .destination(logGroup)
                        .level(LogLevel.ALL)
                        .includeExecutionData(true)
                        .build())
                .tracingEnabled(true)
                .comment(comment)
                .build();
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
