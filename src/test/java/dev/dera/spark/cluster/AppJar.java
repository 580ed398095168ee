package dev.dera.spark.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/** The jars tests submit: the project's application jar, and test applications packed from the test classes. */
public final class AppJar {
    /** The system property (set by failsafe) naming the shaded application jar that {@code mvn package} built. */
    static final String PROPERTY = "dera.appJar";

    private AppJar() {}

    /** {@code target/dera-spark-*-app.jar}, as {@code mvn package} built it. */
    public static Path application() {
        String property = System.getProperty(PROPERTY);
        if (property == null || !Files.isRegularFile(Path.of(property))) {
            throw new IllegalStateException("no application jar at " + property
                    + ": the tests that need it run under mvn verify, after mvn package");
        }
        return Path.of(property);
    }

    /**
     * A jar of {@code target/test-classes}: the test applications. They run with the application jar beside them
     * ({@code spark.jars}), which brings the project's classes and DJL.
     */
    public static Path ofTestClasses(Path jar) throws IOException {
        Path testClasses = Path.of("target", "test-classes").toAbsolutePath();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(testClasses)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new JarEntry(testClasses.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
