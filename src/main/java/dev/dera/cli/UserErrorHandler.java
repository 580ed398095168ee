package dev.dera.cli;

import dev.dera.lm.ModelConfigException;
import dev.dera.lm.safetensors.SafetensorsException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Prints errors caused by the user's input (a bad model folder, a bad value) as one line, without a stack trace,
 * and exits with status 2; anything else is a bug and keeps its stack trace.
 */
final class UserErrorHandler implements IExecutionExceptionHandler {
    static final int USER_ERROR = 2;

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) throws Exception {
        if (e instanceof ModelConfigException || e instanceof SafetensorsException
                || e instanceof IllegalArgumentException) {
            commandLine.getErr().println("dera: " + e.getMessage());
            return USER_ERROR;
        }
        throw e;
    }
}
