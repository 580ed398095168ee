package dev.dera.cli;

import dev.dera.lm.ModelConfigException;
import dev.dera.lm.safetensors.SafetensorsException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into exit codes (README, "Exit codes"). Errors caused by the user's input (a bad model folder, a
 * bad value, a bad path) print one line (the message's first) and exit 2; an I/O failure prints one line and exits 1; anything else is a
 * bug: it says so, keeps its stack trace and exits 1.
 */
final class UserErrorHandler implements IExecutionExceptionHandler {
    static final int USER_ERROR = 2;
    static final int FAILED = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        if (e instanceof ModelConfigException || e instanceof SafetensorsException
                || e instanceof IllegalArgumentException) {
            commandLine.getErr().println("dera: " + firstLine(e.getMessage()));
            return USER_ERROR;
        }
        if (e instanceof UncheckedIOException) {
            commandLine.getErr().println("dera: " + e.getMessage() + ": " + firstLine(e.getCause().getMessage()));
            return FAILED;
        }
        commandLine.getErr().println("dera: internal error (a bug; please report it with this trace): " + e);
        e.printStackTrace(commandLine.getErr());
        return FAILED;
    }

    /** The first line: some libraries append hints on further lines (gson adds a troubleshooting link). */
    private static String firstLine(String message) {
        return String.valueOf(message).lines().findFirst().orElse("");
    }
}
