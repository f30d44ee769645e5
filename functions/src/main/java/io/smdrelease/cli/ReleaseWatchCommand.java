package io.smdrelease.cli;

import io.smdrelease.error.InvalidInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;

/** {@code release watch}: follows an execution to its end. */
@Command(
        name = "watch",
        description = "Follow a release execution: each stage as it starts and ends, per image type the build's phase"
                + " and the tail of its log, then the result. Exits 0 when the release succeeded, 3 when it failed"
                + " (printing the error, the cause and the next step).")
final class ReleaseWatchCommand extends ReleaseCommandBase {
    @Parameters(
            arity = "0..1",
            paramLabel = "EXECUTION_ARN",
            description = "The execution to follow (release start prints it).")
    String executionArn;

    @Option(names = "--latest", description = "Follow the newest execution of the release state machine.")
    boolean latest;

    @Mixin
    StateMachineOptions stateMachine;

    @Mixin
    WatchOptions watchOptions;

    @Override
    protected ExitCode run() throws InterruptedException {
        if ((executionArn == null) == !latest) {
            throw new InvalidInputException(
                    "name one execution: pass its ARN (release start prints it) or --latest, not both");
        }
        if (executionArn != null && !executionArn.matches("arn:aws[a-z-]*:states:\\S+:execution:\\S+")) {
            throw new InvalidInputException("'" + executionArn + "' is not an execution ARN such as"
                    + " arn:aws:states:us-east-1:123456789012:execution:smd-release-release:NAME; or use --latest");
        }
        watchOptions.validate();
        stateMachine.validate();
        String arn = executionArn != null ? executionArn : latest();
        return watchOptions.watcher(aws(), out()).watch(arn);
    }

    private String latest() {
        String machine = stateMachine.resolve(aws().sfn());
        for (ExecutionListItem item : aws().sfn()
                .listExecutions(b -> b.stateMachineArn(machine).maxResults(1))
                .executions()) {
            return item.executionArn();
        }
        throw new InvalidInputException("the state machine " + machine + " has no execution yet: start one with"
                + " smd-release release start");
    }
}
