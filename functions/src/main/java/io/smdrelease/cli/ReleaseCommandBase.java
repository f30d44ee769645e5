package io.smdrelease.cli;

import io.smdrelease.error.GateFailedException;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.error.PromotionFailedException;
import io.smdrelease.error.TagConflictException;
import io.smdrelease.registry.RegistryException;
import io.smdrelease.release.VersionStatuses;
import io.smdrelease.version.SemVer;
import picocli.CommandLine.Mixin;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sfn.model.SfnException;

/**
 * A {@code release} subcommand: AWS settings the AWS CLI way, clients built once per run and closed after it, a
 * failure of the release itself (a gate, a tag conflict, a registry) as {@link ExitCode#BUILD_FAILED}, and the AWS
 * errors a user fixes (no credentials, no access) said as user errors.
 */
abstract class ReleaseCommandBase extends BaseCommand {
    @Mixin
    AwsOptions awsOptions;

    private AwsClients clients;

    /** The run's work; {@link #aws()} gives its clients. */
    protected abstract ExitCode run() throws Exception;

    @Override
    protected final ExitCode execute() throws Exception {
        awsOptions.apply();
        try {
            return run();
        } catch (GateFailedException | TagConflictException | PromotionFailedException | RegistryException e) {
            // the release itself failed (its gates, a tag on another digest, a registry): not the user's input
            err().println("release failed: " + e.getMessage());
            return ExitCode.BUILD_FAILED;
        } catch (SdkClientException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("credentials")) {
                throw new InvalidInputException("no AWS credentials: pass --profile NAME, set AWS_PROFILE, or set"
                        + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (" + firstLine(message) + ")");
            }
            throw e;
        } catch (SfnException e) {
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            if ("AccessDeniedException".equals(code) || "UnrecognizedClientException".equals(code)) {
                throw new InvalidInputException("Step Functions refused the call (" + code + "): use credentials that"
                        + " may operate the release state machine (--profile, AWS_PROFILE): "
                        + firstLine(e.getMessage()));
            }
            throw e;
        } finally {
            if (clients != null) {
                clients.close();
            }
        }
    }

    protected AwsClients aws() {
        if (clients == null) {
            clients = new AwsClients();
        }
        return clients;
    }

    /** A version a user names, a dotted prerelease ({@code 4.4.1-rc.1}) whole. */
    static SemVer versionOf(String text) {
        SemVer version = VersionStatuses.exactly(text);
        return version != null ? version : SemVer.parseImageVersion(text); // its message says what is wrong
    }

    static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
