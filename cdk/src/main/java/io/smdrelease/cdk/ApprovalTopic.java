package io.smdrelease.cdk;

import java.util.Optional;
import software.amazon.awscdk.services.kms.Alias;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * The SNS topic the Approval function sends approval requests to ({@code approval: true}): the version, the gated
 * digests, the gates and the documents, and how to answer ({@code smd-release release approve|reject}). Encrypted with
 * the AWS managed SNS key, whose key policy lets the account's principals use it through SNS, so the publishing role
 * needs nothing but {@code sns:Publish}; TLS only; optionally an email subscription ({@code approvalEmail}).
 */
public final class ApprovalTopic extends Construct {
    /** The AWS managed key of SNS. */
    static final String SNS_MANAGED_KEY = "alias/aws/sns";

    private final Topic topic;

    public ApprovalTopic(Construct scope, String id, Naming naming, Optional<String> email) {
        super(scope, id);
        topic = Topic.Builder.create(this, "Topic")
                .topicName(naming.approvalTopic())
                .displayName("Release approvals (" + naming.prefix() + ")")
                .masterKey(Alias.fromAliasName(this, "SnsKey", SNS_MANAGED_KEY))
                .enforceSsl(true)
                .build();
        email.ifPresent(address -> topic.addSubscription(new EmailSubscription(address)));
    }

    public ITopic topic() {
        return topic;
    }
}
