package io.smdrelease.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.smdrelease.lambda.StepInputs.PlanInput;
import io.smdrelease.registry.RegistryClient;
import io.smdrelease.release.PromotionResult;
import io.smdrelease.signing.SignatureTrust;
import io.smdrelease.store.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * {@code Promote}: copies the gated candidate digests from the staging repository to every release repository,
 * version tags first, aliases last (docs/contract.md), after verifying each candidate's signature. Registry failures that may pass are retried by the state
 * machine; a version tag on another digest and a refused copy are user errors. Input: {@code {"plan"}}; output:
 * the {@link PromotionResult}.
 */
public final class PromoteHandler implements RequestStreamHandler {
    private final ArtifactStore store;
    private final Clock clock;
    private final RegistryClient registry;
    private final Supplier<SignatureTrust> trust;

    /**
     * The Lambda runtime's constructor: the bucket, registries logged in with ECR tokens of the function's role, and
     * the stack's signing certificate as the trust of the candidates' signatures.
     */
    public PromoteHandler() {
        this(
                LambdaSupport.storeFromEnvironment(PipelineSettings.fromEnvironment()),
                LambdaSupport.ecrRegistry(),
                () -> SigningEnvironment.trust(SigningEnvironment.required(PipelineSettings.SIGNING_CERTIFICATE_ARN)),
                Clock.systemUTC());
    }

    public PromoteHandler(ArtifactStore store, RegistryClient registry, Supplier<SignatureTrust> trust, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.registry = registry;
        this.trust = trust;
        LambdaSupport.prime();
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        PromotionResult result;
        try {
            result = promote(LambdaSupport.readInput(in, PlanInput.class, "{\"plan\": <the Generate output>}"));
        } catch (RuntimeException e) {
            throw LambdaSupport.classify(e);
        }
        LambdaSupport.writeOutput(out, result);
    }

    public PromotionResult promote(PlanInput input) {
        return LambdaSupport.lifecycle(store, clock).promote(PlanInputs.plan(input), registry, trust.get());
    }
}
