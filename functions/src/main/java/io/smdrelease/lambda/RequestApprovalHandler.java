package io.smdrelease.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.lambda.StepInputs.PlanInput;
import io.smdrelease.release.ApprovalRequest;
import io.smdrelease.store.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.function.BiConsumer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * {@code Wait for approval} ({@code approval: true}), invoked with a task token: records the request and its evidence
 * in {@code approval.json} and sends it to the approvers' SNS topic ({@code APPROVAL_TOPIC_ARN}). The execution waits
 * until someone answers with the token ({@code smd-release release approve|reject}, or the console), or times out.
 * Input: {@code {"plan", "taskToken"}}.
 */
public final class RequestApprovalHandler implements RequestStreamHandler {
    private final ArtifactStore store;
    private final Clock clock;
    /** Sends (subject, message) to the approvers. */
    private final BiConsumer<String, String> notifier;

    public RequestApprovalHandler() {
        this(LambdaSupport.storeFromEnvironment(PipelineSettings.fromEnvironment()), snsTopic(), Clock.systemUTC());
    }

    public RequestApprovalHandler(ArtifactStore store, BiConsumer<String, String> notifier, Clock clock) {
        this.store = store;
        this.notifier = notifier;
        this.clock = clock;
        LambdaSupport.prime();
    }

    private static BiConsumer<String, String> snsTopic() {
        String topic = System.getenv(PipelineSettings.APPROVAL_TOPIC_ARN);
        if (topic == null || topic.isBlank()) {
            throw new IllegalStateException("APPROVAL_TOPIC_ARN is not set: the function needs the approvers' topic");
        }
        SnsClient sns = SnsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        return (subject, message) ->
                sns.publish(b -> b.topicArn(topic).subject(subject).message(message));
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        ApprovalRequest request;
        try {
            request = request(LambdaSupport.readInput(in, PlanInput.class, "{\"plan\", \"taskToken\"}"));
        } catch (RuntimeException e) {
            throw LambdaSupport.classify(e);
        }
        LambdaSupport.writeOutput(out, request);
    }

    public ApprovalRequest request(PlanInput input) {
        if (input.taskToken() == null || input.taskToken().isBlank()) {
            throw new InvalidInputException("the approval step needs \"taskToken\" ($$.Task.Token)");
        }
        ApprovalRequest request =
                LambdaSupport.lifecycle(store, clock).requestApproval(PlanInputs.plan(input), input.taskToken());
        // SNS subjects are at most 100 characters
        String subject = "smd-release: approve release " + request.version() + "?";
        notifier.accept(subject, request.message(store.location()));
        return request;
    }
}
