package io.smdrelease.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The help of every command lists exactly the codes of {@link ExitCode}, and picocli's own exits use them. */
class ExitCodeTest {

    @Test
    void everyCommandsHelp_listsEveryExitCode() {
        List<CommandLine> commands = new ArrayList<>();
        collect(Main.newCommandLine(null), commands);
        assertTrue(commands.size() > RootCommand.SUBCOMMANDS.size() + 1, "nested subcommands too: " + commands.size());
        for (CommandLine command : commands) {
            assertListsEveryExitCode(command.getCommandSpec().qualifiedName(), command.getUsageMessage());
        }
    }

    @Test
    void help_printsTheList() {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"build", "--help"})) {
            CliRun help = CliRun.of(args);
            assertEquals(ExitCode.OK.code(), help.exitCode(), help.err());
            assertListsEveryExitCode(String.join(" ", args), help.out());
        }
    }

    private static void assertListsEveryExitCode(String command, String help) {
        String text = help.replaceAll("\\s+", " ");
        assertTrue(text.contains("Exit codes:"), command + ": " + help);
        for (ExitCode code : ExitCode.values()) {
            assertTrue(
                    text.contains(" " + code.code() + " " + code.description()),
                    command + " lists " + code + ": " + help);
        }
    }

    private static void collect(CommandLine cli, List<CommandLine> commands) {
        commands.add(cli);
        cli.getSubcommands().values().forEach(sub -> collect(sub, commands));
    }

    @Test
    void anUnknownFlag_isAUserError() {
        CliRun run = CliRun.of("tags", "--target-patch-version", "1.2.0", "--no-such-flag");
        assertEquals(ExitCode.USER_ERROR.code(), run.exitCode(), run.err());
        assertTrue(run.err().contains("--no-such-flag"), run.err());
    }
}
