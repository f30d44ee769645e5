package io.smdrelease.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.error.ReleaseException;
import io.smdrelease.release.ReleaseCheck;
import io.smdrelease.release.ReleaseInput;
import io.smdrelease.release.ReleaseLifecycle;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.tags.VersionTags;
import io.smdrelease.version.ImageVersions;
import io.smdrelease.version.SemVer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;

/** {@code release start}: checks the input by Generate's own rules, then starts an execution of the pipeline. */
@Command(
        name = "start",
        description = "Start a release execution. The input is checked first by the rules Generate uses (and, with"
                + " --store, against the bucket: the base resolved among released versions, the version not released,"
                + " the artifacts it would generate), so a bad input never becomes a failed execution.")
final class ReleaseStartCommand extends ReleaseCommandBase {
    private static final DateTimeFormatter NAME_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    @Mixin
    ReleaseInputOptions inputOptions;

    @Mixin
    StateMachineOptions stateMachine;

    @Option(
            names = "--store",
            paramLabel = "s3://BUCKET[/PREFIX]",
            description = "The pipeline's bucket: check the input against it (base, version, artifacts) and show the"
                    + " tags that would move.")
    String store;

    @Option(names = "--dry-run", description = "Print what would be built and which tags would move; start nothing.")
    boolean dryRun;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "The execution's name (default: e.g. patch-4.4.1-from-latest-20260102T101500Z).")
    String name;

    @Option(names = "--watch", description = "Follow the execution once started (as release watch does).")
    boolean watch;

    @Mixin
    WatchOptions watchOptions;

    @Override
    protected ExitCode run() throws Exception {
        stateMachine.validate();
        watchOptions.validate();
        if (name != null && !name.matches("[A-Za-z0-9_.-]{1,80}")) {
            throw new InvalidInputException("--name '" + name + "' is not an execution name: use at most 80 letters,"
                    + " digits, '.', '_' or '-'");
        }
        ObjectNode json = inputOptions.toJson();
        ReleaseInput input = inFlagWords(() -> ReleaseInput.parse(json));
        ReleaseCheck check = null;
        VersionTags tags = null;
        ImageConfigs configs = null;
        if (store != null) {
            ArtifactStore bucket = bucket(store);
            configs = ImageConfigs.load(bucket);
            ReleaseLifecycle lifecycle = new ReleaseLifecycle(bucket, configs, Clock.systemUTC());
            check = inFlagWords(() -> lifecycle.check(input));
            tags = new VersionTags(bucket, configs);
        }
        String executionName = name != null ? name : defaultName(input, check, Instant.now());
        if (dryRun) {
            printDryRun(json, input, check, tags, configs, executionName);
            return ExitCode.OK;
        }
        String machine = stateMachine.resolve(aws().sfn());
        String executionArn;
        try {
            executionArn = aws().sfn()
                    .startExecution(
                            b -> b.stateMachineArn(machine).name(executionName).input(json.toString()))
                    .executionArn();
        } catch (ExecutionAlreadyExistsException e) {
            throw new InvalidInputException(
                    "an execution named " + executionName + " exists already: pass another --name");
        } catch (StateMachineDoesNotExistException | InvalidArnException e) {
            throw new InvalidInputException("no state machine " + machine + ": pass the --state-machine ARN that"
                    + " cdk/deploy.sh printed, or --name-prefix; check --region/--profile");
        }
        out().println("Started " + executionName);
        out().println("  execution  " + executionArn);
        out().println("  input      " + json);
        out().println("Watch it:    smd-release release watch " + executionArn);
        out().println("Console:     " + consoleLink(executionArn));
        out().flush();
        if (watch) {
            return watchOptions.watcher(aws(), out()).watch(executionArn);
        }
        return ExitCode.OK;
    }

    /** The bucket of {@code --store}, opened as every command opens its store. */
    private static ArtifactStore bucket(String uri) {
        StoreOptions options = new StoreOptions();
        options.store = uri;
        return options.open();
    }

    /** Runs a check of the core whose messages name input fields, saying them as this command's flags. */
    private <T> T inFlagWords(java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (ReleaseException e) {
            if (inputOptions.fromJson()) {
                throw e;
            }
            throw new InvalidInputException(InputFlagWords.say(e.getMessage()));
        }
    }

    private void printDryRun(
            ObjectNode json,
            ReleaseInput input,
            ReleaseCheck check,
            VersionTags tags,
            ImageConfigs configs,
            String executionName) {
        out().println("Dry run: no execution started.");
        if (check == null) {
            out().println("Release:  " + describe(input)
                    + " (pass --store s3://BUCKET to resolve the base, check the version against the bucket and"
                    + " list the tags that would move)");
        } else {
            out().println("Release:  " + check.targetVersion() + " ("
                    + input.mode().name().toLowerCase(java.util.Locale.ROOT)
                    + (check.sourceVersion() == null ? "" : ", from " + check.sourceVersion())
                    + (input.basePatchVersion() != null
                                    && !input.basePatchVersion().equals(check.sourceVersion())
                            ? " = " + input.basePatchVersion()
                            : "")
                    + (check.exists() ? ", version exists" : ", new version") + ")");
            out().println("Images:   " + String.join(", ", check.imageTypes()));
            SemVer version = SemVer.parseImageVersion(check.targetVersion());
            for (String type : check.imageTypes()) {
                List<String> imageTags = tags.tags(version, configs.forType(version.major(), type));
                out().println("Tags:     " + type + "  " + imageTags.get(0)
                        + (input.candidateOnly()
                                ? "  (--candidate-only: no tag moves)"
                                : imageTags.size() > 1
                                        ? "; moves " + String.join(" ", imageTags.subList(1, imageTags.size()))
                                        : "; no alias moves (newer releases hold them)"));
            }
            if (!input.candidateOnly() && input.targetEcrRepos().isEmpty()) {
                out().println("Repos:    none (--target-ecr-repo): nothing would be copied");
            } else if (!input.targetEcrRepos().isEmpty()) {
                out().println("Repos:    " + String.join(" ", input.targetEcrRepos()));
            }
        }
        out().println("Input:    " + json);
        out().println("Name:     " + executionName);
    }

    private static String describe(ReleaseInput input) {
        if (input.buildsExistingVersion()) {
            return (input.promote() ? "promote " : "build ") + input.targetPatchVersion();
        }
        return input.releaseType().id() + " of " + input.basePatchVersion();
    }

    /** e.g. {@code patch-4.4.1-from-latest-20260102T101500Z}, {@code promote-4.4.1-…}, {@code candidate-patch-…}. */
    static String defaultName(ReleaseInput input, ReleaseCheck check, Instant now) {
        String time = NAME_TIME.format(now);
        String words;
        if (input.buildsExistingVersion()) {
            words = (input.promote() ? "promote-" : "build-") + input.targetPatchVersion();
        } else {
            String target = check != null ? check.targetVersion() : nextOf(input);
            words = input.releaseType().id() + (target == null ? "" : "-" + target) + "-from-"
                    + input.basePatchVersion();
        }
        String prefix = input.candidateOnly() ? "candidate-" : "";
        String text = (prefix + words).replaceAll("[^A-Za-z0-9_.-]", "-");
        int room = 80 - time.length() - 1;
        return (text.length() > room ? text.substring(0, room) : text) + "-" + time;
    }

    /** The next version when the base is a version (without the bucket, {@code latest} stays unresolved). */
    private static String nextOf(ReleaseInput input) {
        SemVer base = SemVer.tryParseImageVersion(input.basePatchVersion());
        return base == null
                ? null
                : ImageVersions.next(base, input.releaseType(), input.preReleaseIdentifier())
                        .toString();
    }

    static String consoleLink(String executionArn) {
        String region = executionArn.split(":")[3];
        return "https://" + region + ".console.aws.amazon.com/states/home?region=" + region + "#/v2/executions/details/"
                + executionArn;
    }
}
