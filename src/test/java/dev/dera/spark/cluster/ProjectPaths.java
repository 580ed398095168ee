package dev.dera.spark.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Paths of the project the tests run in (Maven runs them in the project root). */
public final class ProjectPaths {
    private ProjectPaths() {}

    /** The {@code jobs/} folder with the launch scripts. */
    public static Path jobs() {
        Path jobs = Path.of("jobs").toAbsolutePath().normalize();
        if (!Files.isRegularFile(jobs.resolve("jvm.options"))) {
            throw new IllegalStateException("no jobs/jvm.options under " + jobs.getParent()
                    + ": run the tests from the project root");
        }
        return jobs;
    }

    /** The JVM options of {@code jobs/jvm.options} (the add-opens flags Spark needs on Java 17, DJL offline). */
    public static List<String> jvmOptions() {
        try {
            return Files.readAllLines(jobs().resolve("jvm.options")).stream()
                    .map(String::trim)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
