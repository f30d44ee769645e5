package io.smdrelease.cli;

import io.smdrelease.error.ReleaseException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Shared behaviour of the subcommands: run, then map a user error to {@link ExitCode#USER_ERROR} with a one-line
 * message, and anything else to {@link ExitCode#INTERNAL_ERROR}.
 */
@Command(mixinStandardHelpOptions = true)
abstract class BaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--stacktrace", description = "Print the stack trace of an internal error.")
    boolean stacktrace;

    /** Does the work; throws {@link ReleaseException} for what the user can fix. */
    protected abstract ExitCode execute() throws Exception;

    @Override
    public final Integer call() {
        try {
            return execute().code();
        } catch (ReleaseException e) {
            err().println("error: " + e.getMessage());
            return ExitCode.USER_ERROR.code();
        } catch (Exception e) {
            err().println("internal error: " + e.getMessage());
            if (stacktrace) {
                e.printStackTrace(err());
            } else {
                err().println("(run again with --stacktrace for details)");
            }
            return ExitCode.INTERNAL_ERROR.code();
        }
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
