package io.smdrelease.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.lambda.StepInputs.FinalizeInput;
import io.smdrelease.layout.ReleaseFiles;
import io.smdrelease.release.ReleasePlan;
import io.smdrelease.release.ReleaseRecord;
import io.smdrelease.store.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * {@code Finalize release}: writes the changelogs, the release notes and, last, {@code release.json}; the version is
 * released. Input: {@code {"plan", "promotion": <Promote output>}}; output: where the files are and what was released
 * (the execution's output).
 */
public final class FinalizeHandler implements RequestStreamHandler {
    private final ArtifactStore store;
    private final Clock clock;

    public FinalizeHandler() {
        this(LambdaSupport.storeFromEnvironment(PipelineSettings.fromEnvironment()), Clock.systemUTC());
    }

    public FinalizeHandler(ArtifactStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        LambdaSupport.prime();
    }

    /** The execution's output: the version, where release.json and the documents are, and the images. */
    public record Summary(
            String targetVersion,
            String releaseJson,
            List<String> documents,
            Map<String, ReleaseRecord.Image> images) {}

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        Summary summary;
        try {
            summary = finalizeRelease(LambdaSupport.readInput(
                    in, FinalizeInput.class, "{\"plan\": <the Generate output>, \"promotion\": <the Promote output>}"));
        } catch (RuntimeException e) {
            throw LambdaSupport.classify(e);
        }
        LambdaSupport.writeOutput(out, summary);
    }

    public Summary finalizeRelease(FinalizeInput input) {
        ReleasePlan plan = PlanInputs.plan(new StepInputs.PlanInput(input.plan(), null));
        if (input.promotion() == null) {
            throw new InvalidInputException("Finalize needs \"promotion\": the output of the Promote step");
        }
        ReleaseRecord record = LambdaSupport.lifecycle(store, clock).finish(plan, input.promotion());
        return new Summary(
                record.version(),
                store.locationOf(plan.versionDir() + "/" + ReleaseFiles.RELEASE_JSON),
                record.documents().stream().map(store::locationOf).toList(),
                record.images());
    }
}
