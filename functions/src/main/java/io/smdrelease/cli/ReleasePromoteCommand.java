package io.smdrelease.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.aws.ecr.EcrRepository;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.release.PromotionResult;
import io.smdrelease.release.ReleaseInput;
import io.smdrelease.release.ReleaseLifecycle;
import io.smdrelease.release.ReleasePlan;
import io.smdrelease.release.ReleaseRecord;
import io.smdrelease.release.RunContext;
import io.smdrelease.signing.SignatureTrust;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.store.PublicationOwner;
import io.smdrelease.version.SemVer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code release promote}: releases the gated candidates of a version, from this machine through the core (the
 * promotion the pipeline's Promote and Finalize steps run), or by starting a pipeline execution that does it.
 */
@Command(
        name = "promote",
        description = "Promote the gated candidates of a version: copy the exact gated digests to every"
                + " --target-ecr-repo (version tags first, aliases last), then write the changelogs and release.json."
                + " From this machine, or with --via-pipeline by an execution {\"targetPatchVersion\": V,"
                + " \"promote\": true}.")
final class ReleasePromoteCommand extends ReleaseCommandBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(
            names = "--target-patch-version",
            required = true,
            paramLabel = "VERSION",
            description = "The version whose gated candidates to release, e.g. 4.4.1.")
    String targetPatchVersion;

    @Option(
            names = "--target-ecr-repo",
            paramLabel = "REPO",
            description = "A release repository (repeatable), e.g."
                    + " 123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-distribution.")
    List<String> targetEcrRepos = new ArrayList<>();

    @Option(
            names = "--via-pipeline",
            description = "Start a pipeline execution that promotes, instead of this machine.")
    boolean viaPipeline;

    @Option(names = "--approval", description = "With --via-pipeline: wait for release approve before promoting.")
    boolean approval;

    @Mixin
    StoreOptions storeOptions;

    @Mixin
    SigningOptions signing = new SigningOptions();

    @Mixin
    StateMachineOptions stateMachine;

    @Override
    protected ExitCode run() {
        if (targetEcrRepos.isEmpty()) {
            throw new InvalidInputException("--target-ecr-repo is missing: name the release repositories to copy the"
                    + " candidates to (the gates record the digests, not where the run that built them would have"
                    + " released them)");
        }
        ObjectNode json = JSON.createObjectNode().put("targetPatchVersion", targetPatchVersion);
        targetEcrRepos.forEach(json.withArray("targetEcrRepos")::add);
        json.put("promote", true);
        if (approval) {
            json.put("approval", true);
        }
        ReleaseInput input;
        try {
            input = ReleaseInput.parse(json);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(InputFlagWords.say(e.getMessage()));
        }
        SemVer.parseImageVersion(targetPatchVersion);
        if (viaPipeline) {
            return startExecution(json);
        }
        if (approval) {
            throw new InvalidInputException("--approval waits in the pipeline: add --via-pipeline, or drop --approval"
                    + " (promoting from this machine is the approval)");
        }
        targetEcrRepos.forEach(ReleasePromoteCommand::requireRepository);
        SignatureTrust trust = signing.trust("promoting from this machine");
        ArtifactStore store = storeOptions.open();
        ReleaseLifecycle lifecycle = new ReleaseLifecycle(store, ImageConfigs.load(store), Clock.systemUTC());
        RunContext run = new RunContext(
                LocalBuilds.owner(),
                "promote-" + Instant.now().getEpochSecond(),
                null,
                dir -> Map.of(),
                type -> null,
                PublicationOwner.CLI_LOCK_MAX_AGE,
                Clock.systemUTC());
        ReleasePlan plan = lifecycle.generate(input, run);
        PromotionResult promoted = lifecycle.promote(plan, Registries.forCli(), trust);
        promoted.versionTags().forEach(s -> out().println("promoted " + s.repository() + ":" + s.tag()));
        promoted.aliases().forEach(s -> out().println("moved    " + s.repository() + ":" + s.tag()));
        ReleaseRecord record = lifecycle.finish(plan, promoted);
        out().println("Released " + record.version() + ": "
                + JsonOutput.where(store.location(), plan.versionDir() + "/release.json"));
        return ExitCode.OK;
    }

    private ExitCode startExecution(ObjectNode json) {
        String machine = stateMachine.resolve(aws().sfn());
        String name = "promote-" + targetPatchVersion.replaceAll("[^A-Za-z0-9_.-]", "-") + "-"
                + Instant.now().getEpochSecond();
        String arn = aws().sfn()
                .startExecution(b -> b.stateMachineArn(machine).name(name).input(json.toString()))
                .executionArn();
        out().println("Started " + name);
        out().println("  execution  " + arn);
        out().println("  input      " + json);
        out().println("Watch it:    smd-release release watch " + arn);
        return ExitCode.OK;
    }

    private static void requireRepository(String repo) {
        if (!EcrRepository.isRepositoryUri(repo)) {
            throw new InvalidInputException("--target-ecr-repo '" + repo + "' is not a repository: use REGISTRY/NAME"
                    + " without a tag, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-distribution");
        }
    }
}
