package dev.dera.spark.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A running {@code spark-submit} in client mode: its JVM is the driver. */
public final class Submission {
    private final JvmProcess driver;

    Submission(JvmProcess driver) {
        this.driver = driver;
    }

    /** Waits for the driver to exit and returns its exit code; -1 when it was killed after the timeout. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        return driver.awaitExit(timeout.toSeconds());
    }

    /** Kills the driver JVM at once, as a crash of the driver machine would. */
    public void kill() {
        driver.kill();
    }

    public boolean isRunning() {
        return driver.isAlive();
    }

    /** The driver's stdout and stderr so far. */
    public String log() {
        try {
            return Files.readString(logFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path logFile() {
        return driver.log();
    }
}
