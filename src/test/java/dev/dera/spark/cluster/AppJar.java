package dev.dera.spark.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/** Packs class folders into a jar to submit, the way a test application travels to the executors. */
public final class AppJar {
    private AppJar() {}

    /** A jar of {@code target/classes} and {@code target/test-classes}: the project and its test applications. */
    public static Path ofTestClasses(Path jar) throws IOException {
        return pack(TestClasspath.folders(), jar);
    }

    /** Packs the folders' files into {@code jar}; where two folders hold the same entry, the first one wins. */
    static Path pack(List<Path> folders, Path jar) throws IOException {
        Set<String> written = new HashSet<>();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Path folder : folders) {
                try (Stream<Path> files = Files.walk(folder)) {
                    for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                        String name = folder.relativize(file).toString().replace('\\', '/');
                        if (written.add(name)) {
                            out.putNextEntry(new JarEntry(name));
                            Files.copy(file, out);
                            out.closeEntry();
                        }
                    }
                }
            }
        }
        return jar;
    }
}
