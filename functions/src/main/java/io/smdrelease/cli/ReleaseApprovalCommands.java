package io.smdrelease.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.error.MissingArtifactException;
import io.smdrelease.error.VersionExistsException;
import io.smdrelease.layout.ReleaseFiles;
import io.smdrelease.release.ApprovalRequest;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.version.ImageVersions;
import io.smdrelease.version.SemVer;
import java.io.IOException;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/**
 * {@code release approve|reject}: answers a release waiting for approval with the task token its request recorded in
 * the version's {@code approval.json}: SendTaskSuccess, or SendTaskFailure with error {@code ApprovalRejected}.
 */
final class ReleaseApprovalCommands {
    /** The error a rejected release fails with; the reason is its cause. */
    static final String REJECTED = "ApprovalRejected";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReleaseApprovalCommands() {}

    /** Reads the pending request and answers it. */
    abstract static class Answer extends ReleaseCommandBase {
        @Option(
                names = "--target-patch-version",
                required = true,
                paramLabel = "VERSION",
                description = "The version waiting for approval, e.g. 4.4.1.")
        String targetPatchVersion;

        @Mixin
        StoreOptions storeOptions;

        abstract void answer(ApprovalRequest request, String by);

        abstract String done();

        @Override
        protected ExitCode run() {
            SemVer version = versionOf(targetPatchVersion);
            ArtifactStore store = storeOptions.open();
            String dir = ImageVersions.versionDir(version);
            if (store.exists(dir + "/" + ReleaseFiles.RELEASE_JSON)) {
                throw new VersionExistsException(
                        version + " is released already (" + JsonOutput.where(store.location(), dir + "/release.json")
                                + "): there is nothing to approve or reject");
            }
            String path = dir + "/" + ReleaseFiles.APPROVAL_JSON;
            byte[] bytes = store.read(path)
                    .orElseThrow(() -> new MissingArtifactException("no approval request for " + version + " ("
                            + JsonOutput.where(store.location(), path) + " is missing): only an execution started with"
                            + " --approval waits for one; release status " + version + " shows where it stands"));
            ApprovalRequest request;
            try {
                request = JSON.readValue(bytes, ApprovalRequest.class);
            } catch (IOException e) {
                throw new MissingArtifactException(
                        store.location() + "/" + path + " is not an approval request: " + e.getMessage());
            }
            try {
                answer(request, LocalBuilds.owner());
            } catch (TaskDoesNotExistException | TaskTimedOutException | InvalidTokenException e) {
                throw new InvalidInputException("the approval request of " + version + " (execution "
                        + request.execution() + ", requested " + request.requestedAt() + ") no longer waits: the"
                        + " execution ended or timed out. release watch " + request.execution() + " shows how it"
                        + " ended; start a new one with --target-patch-version " + version + " --promote --approval");
            }
            out().println(done() + " " + version + " (execution " + request.execution() + ")");
            out().println("Follow it: smd-release release watch " + request.execution());
            return ExitCode.OK;
        }
    }

    @Command(
            name = "approve",
            description = "Approve a release waiting for approval: its gated candidates are promoted.")
    static final class Approve extends Answer {
        @Option(names = "--reason", paramLabel = "TEXT", description = "A note recorded with the approval.")
        String reason;

        @Override
        void answer(ApprovalRequest request, String by) {
            ObjectNode output = JSON.createObjectNode()
                    .put("approved", true)
                    .put("by", by)
                    .put("at", Instant.now().toString());
            if (reason != null) {
                output.put("reason", reason);
            }
            aws().sfn().sendTaskSuccess(b -> b.taskToken(request.taskToken()).output(output.toString()));
        }

        @Override
        String done() {
            return "Approved";
        }
    }

    @Command(
            name = "reject",
            description = "Reject a release waiting for approval: it fails with ApprovalRejected, nothing is promoted.")
    static final class Reject extends Answer {
        @Option(
                names = "--reason",
                required = true,
                paramLabel = "TEXT",
                description = "Why: the failed execution's cause.")
        String reason;

        @Override
        void answer(ApprovalRequest request, String by) {
            if (reason.isBlank()) {
                throw new InvalidInputException("--reason is empty: say why the release is rejected");
            }
            String cause = reason + " (rejected by " + by + ")";
            aws().sfn()
                    .sendTaskFailure(b -> b.taskToken(request.taskToken())
                            .error(REJECTED)
                            .cause(cause.length() > 32768 ? cause.substring(0, 32768) : cause));
        }

        @Override
        String done() {
            return "Rejected";
        }
    }
}
