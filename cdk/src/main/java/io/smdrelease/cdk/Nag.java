package io.smdrelease.cdk;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Validations;
import software.constructs.IConstruct;

/** cdk-nag acknowledgments (v3: CDK's Validations API); each one names the exact rule or finding and why. */
final class Nag {
    private Nag() {}

    static void acknowledge(IConstruct construct, String ruleId, String reason) {
        Validations.of(construct)
                .acknowledge(Acknowledgment.builder().id(ruleId).reason(reason).build());
    }

    /**
     * Acknowledges the AwsSolutions-IAM5 finding for one wildcard resource (an object ARN pattern or {@code *}),
     * computed the way cdk-nag flattens CloudFormation references, so no hashed logical ID is written by hand.
     */
    static void acknowledgeWildcardResource(IConstruct policyOwner, String resource, String reason) {
        String flat = flatten(Stack.of(policyOwner).resolve(resource));
        String id = "AwsSolutions-IAM5[Resource::" + flat + "]";
        if (flat.contains("::")) {
            // A resource built from pseudo parameters flattens to e.g. arn:<AWS::Partition>:states:<AWS::Region>:...;
            // Validations.acknowledge rejects an id with a second '::', so the same metadata entry it would record (and
            // that cdk-nag matches by exact id) is written directly.
            policyOwner.getNode().addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, Map.of(id, reason));
        } else {
            acknowledge(policyOwner, id, reason);
        }
    }

    /** Mirrors cdk-nag's flattenCfnReference. */
    static String flatten(Object node) {
        if (node == null) {
            return "";
        }
        if (node instanceof String s) {
            return s.replace("${", "<").replace("}", ">");
        }
        if (node instanceof Map<?, ?> map) {
            if (map.get("Fn::Join") instanceof List<?> join) {
                String delimiter = String.valueOf(join.get(0));
                return ((List<?>) join.get(1)).stream().map(Nag::flatten).collect(Collectors.joining(delimiter));
            }
            if (map.containsKey("Fn::Sub")) {
                return flatten(map.get("Fn::Sub"));
            }
            if (map.get("Fn::GetAtt") instanceof List<?> getAtt) {
                return "<" + flatten(getAtt.get(0)) + "." + flatten(getAtt.get(1)) + ">";
            }
            if (map.containsKey("Fn::ImportValue")) {
                return flatten(map.get("Fn::ImportValue"));
            }
            if (map.containsKey("Ref")) {
                return "<" + flatten(map.get("Ref")) + ">";
            }
        }
        throw new IllegalArgumentException("Cannot flatten " + node + " for a cdk-nag finding id");
    }
}
