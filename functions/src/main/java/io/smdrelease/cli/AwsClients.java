package io.smdrelease.cli;

import io.smdrelease.error.InvalidInputException;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkClientBuilder;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.codebuild.CodeBuildClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.signer.SignerClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The AWS clients of one CLI run, each built once on first use with the light HTTP client and the process's AWS
 * settings ({@link AwsOptions#apply}), counting the API calls they make (for {@code release watch}'s figure).
 */
final class AwsClients implements AutoCloseable {
    private final AtomicInteger calls = new AtomicInteger();
    private SfnClient sfn;
    private CodeBuildClient codeBuild;
    private CloudWatchLogsClient logs;
    private SnsClient sns;
    private SignerClient signer;
    private AcmClient acm;

    SfnClient sfn() {
        if (sfn == null) {
            sfn = configure(SfnClient.builder()).build();
        }
        return sfn;
    }

    CodeBuildClient codeBuild() {
        if (codeBuild == null) {
            codeBuild = configure(CodeBuildClient.builder()).build();
        }
        return codeBuild;
    }

    CloudWatchLogsClient logs() {
        if (logs == null) {
            logs = configure(CloudWatchLogsClient.builder()).build();
        }
        return logs;
    }

    SnsClient sns() {
        if (sns == null) {
            sns = configure(SnsClient.builder()).build();
        }
        return sns;
    }

    SignerClient signer() {
        if (signer == null) {
            signer = configure(SignerClient.builder()).build();
        }
        return signer;
    }

    AcmClient acm() {
        if (acm == null) {
            acm = configure(AcmClient.builder()).build();
        }
        return acm;
    }

    /** API calls made so far, retries included. */
    int calls() {
        return calls.get();
    }

    private <B extends AwsSyncClientBuilder<B, ?> & SdkClientBuilder<B, ?>> B configure(B builder) {
        requireRegion();
        builder.httpClientBuilder(UrlConnectionHttpClient.builder());
        builder.overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                calls.incrementAndGet();
            }
        }));
        return builder;
    }

    /** A missing region is a setting the user gives, so it is said in the CLI's words before any call. */
    private static void requireRegion() {
        try {
            new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            throw new InvalidInputException(
                    "no AWS region: pass --region (e.g. --region us-east-1), set AWS_REGION, or give the profile one");
        }
    }

    @Override
    public void close() {
        if (sfn != null) {
            sfn.close();
        }
        if (codeBuild != null) {
            codeBuild.close();
        }
        if (logs != null) {
            logs.close();
        }
        if (sns != null) {
            sns.close();
        }
        if (signer != null) {
            signer.close();
        }
        if (acm != null) {
            acm.close();
        }
    }
}
