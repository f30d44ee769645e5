package io.smdrelease.cli;

import io.smdrelease.error.InvalidInputException;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;

/** Which release state machine: its ARN, or found by the stack's name prefix ({@code <prefix>-release}). */
final class StateMachineOptions {
    static final String DEFAULT_PREFIX = "smd-release";
    private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}:stateMachine:\\S+");

    @Option(
            names = "--state-machine",
            paramLabel = "ARN",
            description = "The release state machine (default: the one named <name-prefix>-release).")
    String stateMachineArn;

    @Option(
            names = "--name-prefix",
            paramLabel = "PREFIX",
            defaultValue = DEFAULT_PREFIX,
            description = "The stack's name prefix, to find the state machine by name. Default: ${DEFAULT-VALUE}.")
    String namePrefix;

    /** Checks the flag's shape without calling AWS. */
    void validate() {
        if (stateMachineArn != null && !ARN.matcher(stateMachineArn).matches()) {
            throw new InvalidInputException("--state-machine '" + stateMachineArn + "' is not a state machine ARN such"
                    + " as arn:aws:states:us-east-1:123456789012:stateMachine:smd-release-release");
        }
        if (stateMachineArn == null && !namePrefix.matches("[A-Za-z0-9-]{1,60}")) {
            throw new InvalidInputException(
                    "--name-prefix '" + namePrefix + "' is not a stack prefix such as smd-release");
        }
    }

    /** The state machine's name when found by prefix. */
    String name() {
        return namePrefix + "-release";
    }

    /** The ARN given, or the one of the state machine named {@link #name()} in the account and region. */
    String resolve(SfnClient sfn) {
        validate();
        if (stateMachineArn != null) {
            return stateMachineArn;
        }
        for (StateMachineListItem item :
                sfn.listStateMachinesPaginator(b -> b.maxResults(1000)).stateMachines()) {
            if (item.name().equals(name())) {
                return item.stateMachineArn();
            }
        }
        throw new InvalidInputException("no state machine named " + name() + " here: pass --state-machine ARN,"
                + " --name-prefix (the stack's namePrefix), or --region/--profile of the account it is deployed to");
    }
}
