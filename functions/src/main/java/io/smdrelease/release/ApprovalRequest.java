package io.smdrelease.release;

import io.smdrelease.gates.GateResult;
import java.util.List;
import java.util.Map;

/**
 * A release waiting for a person's approval ({@code approval.json}): the task token that resumes it and the evidence
 * the approver judges, regressions and failures first.
 *
 * @param digests   per image type, the candidate digest that would be released
 * @param gates     every gate result, waivers included
 * @param documents the changelogs and release notes to read, as store paths
 */
public record ApprovalRequest(
        String version,
        String execution,
        String requestedAt,
        String taskToken,
        Map<String, String> digests,
        List<GateResult> gates,
        List<String> documents) {

    /** The message sent to the approvers: what, the evidence, and how to answer. */
    public String message(String location) {
        StringBuilder text = new StringBuilder();
        text.append("Release ")
                .append(version)
                .append(" waits for approval (execution ")
                .append(execution)
                .append(").\n\nCandidates (these exact digests are promoted):\n");
        digests.forEach((type, digest) ->
                text.append("  ").append(type).append(": ").append(digest).append('\n'));
        text.append("\nGates:\n");
        for (GateResult gate : gates) {
            text.append("  ")
                    .append(gate.status())
                    .append("  ")
                    .append(gate.describe())
                    .append('\n');
        }
        text.append("\nChangelogs and release notes in ").append(location).append(":\n");
        documents.forEach(d -> text.append("  ").append(d).append('\n'));
        text.append("\nApprove:  smd-release release approve --target-patch-version ")
                .append(version)
                .append("\nReject:   smd-release release reject --target-patch-version ")
                .append(version)
                .append(" --reason \"…\"\n(or SendTaskSuccess / SendTaskFailure with the task token in ")
                .append(location)
                .append(" approval.json)\n");
        return text.toString();
    }
}
