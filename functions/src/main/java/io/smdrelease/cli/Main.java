package io.smdrelease.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** The command-line entry point: the same jar is the Lambda package. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(code);
    }

    /** Runs the CLI without exiting, for tests and for callers that embed it. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = newCommandLine(args.length > 0 ? args[0] : null);
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    /** The command line with the subcommand named {@code first}, or with every subcommand when it names none. */
    static CommandLine newCommandLine(String first) {
        CommandLine cli = new CommandLine(new RootCommand());
        boolean known = RootCommand.SUBCOMMANDS.stream().anyMatch(c -> name(c).equals(first));
        for (Class<?> subcommand : RootCommand.SUBCOMMANDS) {
            if (!known || name(subcommand).equals(first)) {
                cli.addSubcommand(subcommand);
            }
        }
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("internal error: " + e);
            e.printStackTrace(commandLine.getErr());
            return ExitCode.INTERNAL_ERROR.code();
        });
        useExitCodes(cli);
        return cli;
    }

    /** {@link ExitCode} for picocli's own exits (bad flags, help) and in the help of the command and its subcommands. */
    private static void useExitCodes(CommandLine cli) {
        cli.getCommandSpec()
                .exitCodeOnSuccess(ExitCode.OK.code())
                .exitCodeOnUsageHelp(ExitCode.OK.code())
                .exitCodeOnVersionHelp(ExitCode.OK.code())
                .exitCodeOnInvalidInput(ExitCode.USER_ERROR.code())
                .exitCodeOnExecutionException(ExitCode.INTERNAL_ERROR.code())
                .usageMessage()
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(ExitCode.helpList());
        cli.getSubcommands().values().forEach(Main::useExitCodes);
    }

    private static String name(Class<?> command) {
        return command.getAnnotation(picocli.CommandLine.Command.class).name();
    }
}
