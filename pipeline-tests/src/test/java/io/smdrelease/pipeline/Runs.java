package io.smdrelease.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/** Starting executions on the emulator and reading what they did. */
final class Runs {
    private Runs() {}

    /** An ended execution and its history. */
    record Run(DescribeExecutionResponse execution, List<HistoryEvent> history) {
        JsonNode output() {
            try {
                return DeployedPipeline.JSON.readTree(execution.output());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        ExecutionStatus status() {
            return execution.status();
        }

        String error() {
            return execution.error();
        }

        String cause() {
            return execution.cause();
        }

        /** The inputs of the states named {@code state}, as the history records them. */
        List<JsonNode> stateInputs(String state) {
            List<JsonNode> out = new ArrayList<>();
            for (HistoryEvent event : history) {
                if (event.stateEnteredEventDetails() != null
                        && state.equals(event.stateEnteredEventDetails().name())) {
                    try {
                        out.add(DeployedPipeline.JSON.readTree(
                                event.stateEnteredEventDetails().input()));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
            return out;
        }

        /** The states entered, in order: what a reader of the console sees. */
        List<String> states() {
            return history.stream()
                    .filter(e -> e.stateEnteredEventDetails() != null)
                    .map(e -> e.stateEnteredEventDetails().name())
                    .toList();
        }

        @Override
        public String toString() {
            return execution.name() + " " + execution.status() + " error=" + execution.error() + " cause="
                    + execution.cause() + " states=" + states();
        }
    }

    /** Starts an execution of {@code machineArn}, its mock config test case after '#' ({@code null}: none). */
    static String start(SfnClient sfn, String machineArn, String testCase, String name, String input) {
        String arn = testCase == null ? machineArn : machineArn + "#" + testCase;
        return sfn.startExecution(b -> b.stateMachineArn(arn).name(name).input(input))
                .executionArn();
    }

    static Run execute(SfnClient sfn, String machineArn, String testCase, String name, String input)
            throws InterruptedException {
        return await(sfn, start(sfn, machineArn, testCase, name, input));
    }

    /** Waits until the execution ended (at most 120 s) and reads its history. */
    static Run await(SfnClient sfn, String executionArn) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        DescribeExecutionResponse described;
        do {
            Thread.sleep(100);
            described = sfn.describeExecution(b -> b.executionArn(executionArn));
            if (System.nanoTime() > deadline) {
                throw new AssertionError(executionArn + " still " + described.status() + " after 120 s");
            }
        } while (described.status() == ExecutionStatus.RUNNING);
        List<HistoryEvent> history = new ArrayList<>();
        sfn.getExecutionHistoryPaginator(b -> b.executionArn(executionArn))
                .events()
                .forEach(history::add);
        return new Run(described, history);
    }
}
