package io.smdrelease.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.lambda.StepInputs.GenerateInput;
import io.smdrelease.release.ReleaseInput;
import io.smdrelease.release.ReleasePlan;
import io.smdrelease.release.RunContext;
import io.smdrelease.store.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;

/**
 * {@code Generate artifacts}: validates the execution input, generates the version (or finds the one to build or
 * promote) and returns the release plan the later steps receive. Input:
 * {@code {"input": <execution input>, "execution": {"id": <ARN>, "name": <name>}}}; output: the {@link ReleasePlan}.
 */
public final class GenerateHandler implements RequestStreamHandler {
    /** The longest one Generate runs (its state's TimeoutSeconds): a version lock older than that is taken over. */
    static final Duration GENERATE_TIMEOUT = Duration.ofMinutes(15);

    private final PipelineSettings settings;
    private final ArtifactStore store;
    private final Clock clock;

    /** The Lambda runtime's constructor: configuration and clients from the environment, created once. */
    public GenerateHandler() {
        this(PipelineSettings.fromEnvironment(), null, Clock.systemUTC());
    }

    public GenerateHandler(PipelineSettings settings, ArtifactStore store, Clock clock) {
        this.settings = settings;
        this.store = store != null ? store : LambdaSupport.storeFromEnvironment(settings);
        this.clock = clock;
        LambdaSupport.prime();
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        ReleasePlan plan;
        try {
            plan = generate(LambdaSupport.readInput(
                    in, GenerateInput.class, "{\"input\": <execution input>, \"execution\": {\"id\", \"name\"}}"));
        } catch (RuntimeException e) {
            throw LambdaSupport.classify(e);
        }
        LambdaSupport.writeOutput(out, plan);
    }

    public ReleasePlan generate(GenerateInput request) {
        if (request.execution() == null || request.execution().id() == null) {
            throw new InvalidInputException("Generate needs execution.id and execution.name ($$.Execution)");
        }
        ReleaseInput input = ReleaseInput.parse(request.input());
        RunContext run = new RunContext(
                request.execution().id(),
                request.execution().name() == null
                        ? request.execution().id()
                        : request.execution().name(),
                settings.stagingRepository(),
                settings::fetchVariables,
                settings::buildProject,
                GENERATE_TIMEOUT,
                clock);
        return LambdaSupport.lifecycle(store, clock).generate(input, run);
    }
}
