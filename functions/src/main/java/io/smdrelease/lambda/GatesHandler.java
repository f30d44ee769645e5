package io.smdrelease.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.gates.Gate;
import io.smdrelease.gates.GateReport;
import io.smdrelease.gates.TestsGate;
import io.smdrelease.lambda.StepInputs.PlanInput;
import io.smdrelease.release.ReleaseLifecycle;
import io.smdrelease.release.ReleasePlan;
import io.smdrelease.store.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code Evaluate gates}: after every candidate exists, judges them (image tests, and the gates the input turns on),
 * writes {@code gates.json} and fails with {@code GateFailedException} (never retried) when a gate failed. Input:
 * {@code {"plan": <ReleasePlan>}}; output: the {@link GateReport}.
 */
public final class GatesHandler implements RequestStreamHandler {
    private final ReleaseLifecycle lifecycle;

    public GatesHandler() {
        this(LambdaSupport.storeFromEnvironment(PipelineSettings.fromEnvironment()), Clock.systemUTC());
    }

    public GatesHandler(ArtifactStore store, Clock clock) {
        this.lifecycle = new ReleaseLifecycle(store, ImageConfigs.builtIn(), clock);
        LambdaSupport.prime();
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        GateReport report;
        try {
            report = evaluate(LambdaSupport.readInput(in, PlanInput.class, "{\"plan\": <the Generate output>}"));
        } catch (RuntimeException e) {
            throw LambdaSupport.classify(e);
        }
        LambdaSupport.writeOutput(out, report);
    }

    public GateReport evaluate(PlanInput input) {
        ReleasePlan plan = PlanInputs.plan(input);
        return lifecycle.evaluateGates(plan, gates(plan));
    }

    private static List<Gate> gates(ReleasePlan plan) {
        List<Gate> gates = new ArrayList<>();
        gates.add(new TestsGate());
        return gates;
    }
}
