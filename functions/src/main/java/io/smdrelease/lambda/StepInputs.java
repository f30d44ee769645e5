package io.smdrelease.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import io.smdrelease.release.PromotionResult;
import io.smdrelease.release.ReleasePlan;

/** The typed inputs the state machine passes to the handlers (docs/contract.md). */
final class StepInputs {
    private StepInputs() {}

    /** Generate's input: the execution input as the user wrote it, and the execution. */
    record GenerateInput(JsonNode input, Execution execution) {}

    /** {@code $$.Execution.Id} and {@code $$.Execution.Name}. */
    record Execution(String id, String name) {}

    /** The gates, promote and approval steps' input. */
    record PlanInput(ReleasePlan plan, String taskToken) {}

    /** Finalize's input: the plan and what Promote did. */
    record FinalizeInput(ReleasePlan plan, PromotionResult promotion) {}
}
