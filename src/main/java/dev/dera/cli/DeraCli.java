package dev.dera.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code jobs/dera}: one subcommand per task. */
@Command(
        name = "dera",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Decoding-time realignment (DeRa) of language models, from one prompt to a Spark job.",
        subcommands = {CompleteCommand.class, DecodeCommand.class, GenerateCommand.class, InspectCommand.class,
            EvaluateCommand.class, ReportCommand.class, DemoCommand.class, BenchCommand.class, TrainCommand.class,
            CommandLine.HelpCommand.class})
public final class DeraCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured picocli command line (tests call it without exiting the JVM). */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new DeraCli());
        commandLine.setExecutionExceptionHandler(new UserErrorHandler());
        return commandLine;
    }
}
