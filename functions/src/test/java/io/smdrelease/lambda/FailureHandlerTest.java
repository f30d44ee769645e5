package io.smdrelease.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.lambda.FailureHandler.Described;
import io.smdrelease.store.LocalDirStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailureHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private Described describe(String json) throws Exception {
        FailureHandler handler = new FailureHandler(new LocalDirStore(root), Clock.systemUTC());
        return handler.describe(JSON.readValue(json, FailureHandler.FailureInput.class));
    }

    @Test
    void bothBuildsFailing_namesEveryImageType_andTheNextStepInInputWords() throws Exception {
        Described d = describe("{\"stage\":\"Build candidates\",\"error\":{\"Error\":\"BuildFailed\"},"
                + "\"execution\":{\"id\":\"arn:x:execution:m:e1\",\"name\":\"e1\"},\"state\":{"
                + "\"plan\":{\"targetVersion\":\"4.4.1\",\"versionDir\":\"build_artifacts/v4/v4.4/v4.4.1\"},"
                + "\"check\":{\"failures\":[{\"imageType\":\"gpu\",\"error\":\"States.TaskFailed\",\"cause\":\"exit 1\"},"
                + "{\"imageType\":\"cpu\",\"error\":\"States.TaskFailed\",\"cause\":\"exit 2\"}]}}}");
        assertEquals("Build candidates failed [gpu, cpu]: BuildFailed", d.error());
        assertTrue(d.cause().contains("{\"targetPatchVersion\": \"4.4.1\"}"), d.cause());
        JsonNode record = JSON.readTree(
                root.resolve("build_artifacts/v4/v4.4/v4.4.1/failure.json").toFile());
        assertEquals("Build candidates", record.get("stage").asText());
        assertTrue(d.cause().contains("failure.json"), "the cause names the record it wrote");
    }

    @Test
    void lambdaErrors_areUnwrapped_andSpeakInInputFieldsNotFlags() throws Exception {
        String cause = JSON.writeValueAsString(JSON.createObjectNode()
                .put("errorType", "io.smdrelease.error.VersionExistsException")
                .put("errorMessage", "build_artifacts/v4/v4.4/v4.4.1 already exists: pass --force to replace it"));
        Described d = describe("{\"stage\":\"Generate artifacts\",\"error\":{\"Error\":\"Runtime.HandlerError\","
                + "\"Cause\":" + JSON.writeValueAsString(cause) + "},\"state\":{},"
                + "\"execution\":{\"id\":\"arn:x:execution:m:e2\",\"name\":\"e2\"}}");
        assertEquals("Generate artifacts failed: VersionExistsException", d.error());
        assertTrue(
                d.cause().startsWith("build_artifacts/v4/v4.4/v4.4.1 already exists: set \"force\": true"), d.cause());
        assertFalse(d.cause().contains("--force"), d.cause());
        assertFalse(d.cause().contains("errorMessage"), "no JSON in the cause: " + d.cause());
        assertTrue(Files.isRegularFile(root.resolve("failures/e2.json")), "no plan yet: the record goes to failures/");
    }

    /** MiniStack's Lambda proxy mode: Runtime.HandlerError, the handler's document inside the message, cut at 512. */
    @Test
    void handlerErrorsOfALambdaProxy_areUnwrappedToo() throws Exception {
        String document = JSON.writeValueAsString(JSON.createObjectNode()
                .put("errorType", "io.smdrelease.error.InvalidInputException")
                .put(
                        "errorMessage",
                        "basePatchVersion '../x' is not a version: use e.g. 4.4.0 (\"quoted\") " + "x".repeat(600)));
        String cause = JSON.writeValueAsString(JSON.createObjectNode()
                .put("errorType", "Runtime.HandlerError")
                .put("errorMessage", "Proxy target returned HTTP 500: " + document.substring(0, 512)));
        Described d = describe("{\"stage\":\"Generate artifacts\",\"error\":{\"Error\":\"Runtime.HandlerError\","
                + "\"Cause\":" + JSON.writeValueAsString(cause) + "},\"state\":{},"
                + "\"execution\":{\"id\":\"arn:x:execution:m:e3\",\"name\":\"e3\"}}");
        assertEquals("Generate artifacts failed: InvalidInputException", d.error());
        assertTrue(
                d.cause().startsWith("basePatchVersion '../x' is not a version: use e.g. 4.4.0 (\"quoted\") xxx"),
                d.cause());
        assertFalse(d.cause().contains("Proxy target") || d.cause().contains("errorType"), d.cause());
    }

    @Test
    void failedGates_nameTheirImageTypes() throws Exception {
        Described d = describe("{\"stage\":\"Evaluate gates\",\"error\":{\"Error\":"
                + "\"io.smdrelease.error.GateFailedException\",\"Cause\":\"the candidates of 4.4.1 failed 1 gate(s):"
                + " tests [gpu]: all 3 image test cases were skipped\"},\"state\":{\"plan\":{\"targetVersion\":"
                + "\"4.4.1\",\"versionDir\":\"build_artifacts/v4/v4.4/v4.4.1\"}},"
                + "\"execution\":{\"id\":\"arn:x:execution:m:e3\",\"name\":\"e3\"}}");
        assertEquals("Evaluate gates failed [gpu]: GateFailedException", d.error());
        assertTrue(d.cause().contains("\"skipTests\": true"), d.cause());
    }
}
