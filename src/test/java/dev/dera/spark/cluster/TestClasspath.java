package dev.dera.spark.cluster;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/** The entries of the test JVM's {@code java.class.path}, split into dependency jars and class folders. */
final class TestClasspath {
    private TestClasspath() {}

    /** The dependency jars: Spark, DJL and everything else Maven put on the test classpath. */
    static List<Path> jars() {
        return entries(path -> path.getFileName().toString().endsWith(".jar") && Files.isRegularFile(path));
    }

    /** The class folders: {@code target/classes} and {@code target/test-classes} under Maven. */
    static List<Path> folders() {
        return entries(Files::isDirectory);
    }

    private static List<Path> entries(Predicate<Path> kind) {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath())
                .filter(kind)
                .toList();
    }
}
