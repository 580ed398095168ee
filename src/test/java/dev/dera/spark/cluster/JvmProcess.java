package dev.dera.spark.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child process (a JVM, or a script that execs one) whose stdout and stderr go to one log file; killing it also
 * kills the processes it started.
 */
final class JvmProcess {
    /**
     * Flags that keep the short-lived JVMs of a test cluster light on a small machine: one GC thread, thread pools
     * sized for one processor, the quick JIT only.
     */
    static final List<String> LEAN_FLAGS =
            List.of("-XX:+UseSerialGC", "-XX:ActiveProcessorCount=1", "-XX:TieredStopAtLevel=1");

    private final String name;
    private final Process process;
    private final Path log;

    private JvmProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code java jvmFlags -cp classpath mainClass args} with extra environment variables. */
    static JvmProcess start(String name, List<String> jvmFlags, String classpath, String mainClass, List<String> args,
            Map<String, String> env, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", classpath, mainClass));
        command.addAll(args);
        return start(name, command, env, log, Path.of("").toAbsolutePath());
    }

    /** Starts {@code command} in {@code workingDirectory} with extra environment variables. */
    static JvmProcess start(String name, List<String> command, Map<String, String> env, Path log,
            Path workingDirectory) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(workingDirectory.toFile());
        builder.environment().putAll(env);
        try {
            return new JvmProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the exit code; -1 (after killing it) when it is still running after the timeout. */
    int awaitExit(long timeoutSeconds) throws InterruptedException {
        if (process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            return process.exitValue();
        }
        kill();
        return -1;
    }

    /** The JVM and every process below it now (a Worker's executors). */
    List<ProcessHandle> tree() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        return tree;
    }

    /** Kills the JVM and every process below it at once, like a machine that dies. */
    void kill() {
        List<ProcessHandle> tree = tree();
        tree.forEach(ProcessHandle::destroyForcibly);
        tree.forEach(handle -> handle.onExit().join());
    }
}
