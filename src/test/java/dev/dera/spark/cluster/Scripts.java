package dev.dera.spark.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the project's bash scripts in {@code jobs/} with a chosen environment, for script tests. */
final class Scripts {
    /** What a script run printed and returned. */
    record Result(int exitCode, String stdout, String stderr) {}

    private Scripts() {}

    /** {@code jobs/<name>} of the project the tests run in. */
    static Path job(String name) {
        return ProjectPaths.jobs().resolve(name);
    }

    /** Runs {@code bash script args...}; {@code env} entries with a null value are removed from the environment. */
    static Result run(Path script, List<String> args, Map<String, String> env) {
        List<String> command = new ArrayList<>(List.of(bash().toString(), script.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        env.forEach((key, value) -> {
            if (value == null) {
                builder.environment().remove(key);
            } else {
                builder.environment().put(key, value);
            }
        });
        try {
            Path stdout = Files.createTempFile("script-", ".out");
            Path stderr = Files.createTempFile("script-", ".err");
            try {
                Process process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(script + " did not finish in 60 s");
                }
                return new Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
            } finally {
                Files.delete(stdout);
                Files.delete(stderr);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** bash as found on this JVM's PATH, so that a test may give the script a PATH without it. */
    private static Path bash() {
        return Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
                .map(folder -> Path.of(folder, "bash"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no bash on PATH"));
    }

    /** Writes an executable bash script (a stand-in command such as nvidia-smi or spark-submit). */
    static Path writeExecutable(Path file, String body) {
        try {
            Files.writeString(file, "#!/usr/bin/env bash\n" + body, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
