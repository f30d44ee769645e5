package io.smdrelease.lambda;

import io.smdrelease.error.InvalidInputException;
import io.smdrelease.lambda.StepInputs.PlanInput;
import io.smdrelease.release.ReleasePlan;

/** Checks of the plan every later step receives. */
final class PlanInputs {
    private PlanInputs() {}

    static ReleasePlan plan(PlanInput input) {
        ReleasePlan plan = input.plan();
        if (plan == null || plan.targetVersion() == null || plan.versionDir() == null || plan.input() == null) {
            throw new InvalidInputException("the step needs {\"plan\": <the Generate output>} with targetVersion,"
                    + " versionDir and input (docs/contract.md)");
        }
        return plan;
    }
}
