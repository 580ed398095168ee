package dev.dera.spark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dera.testing.DeraVector;
import dev.dera.testing.SharedModels;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded application jar is safe on a stock Spark: it shares no class with Spark's own jars (what Spark ships is
 * provided or relocated), its relocated references resolve inside it, and DJL finds PyTorch and the tokenizers'
 * native library in it, offline, in a fresh JVM whose classpath is the jar and Spark's jars, as on an executor.
 */
class ApplicationJarIT {
    private static final String SHADED = "dev/dera/shaded/";
    private static final Pattern SHADED_NAME = Pattern.compile(Pattern.quote(SHADED) + "[\\w/$-]+");

    private static Set<String> appEntries;

    @TempDir
    Path work;

    @BeforeAll
    static void readJar() throws IOException {
        appEntries = entries(AppJar.application());
    }

    @Test
    void sharesNoClassWithSparksJars() throws IOException {
        Set<String> shared = new TreeSet<>();
        try (Stream<Path> jars = Files.list(SparkInstall.distribution().home().resolve("jars"))) {
            for (Path jar : (Iterable<Path>) jars::iterator) {
                entries(jar).stream().filter(ApplicationJarIT::isClass).filter(appEntries::contains)
                        .forEach(entry -> shared.add(jar.getFileName() + ": " + entry));
            }
        }
        assertTrue(shared.isEmpty(), "classes Spark ships too (relocate or leave them out): " + shared.size() + ", e.g. "
                + shared.stream().limit(20).toList());
        for (String provided : List.of("org/apache/spark/", "scala/", "org/apache/hadoop/", "org/slf4j/",
                "org/apache/logging/log4j/", "com/google/gson/", "org/apache/commons/")) {
            assertTrue(appEntries.stream().noneMatch(entry -> entry.startsWith(provided)), provided + " is bundled");
        }
        assertTrue(appEntries.contains(SHADED + "com/google/gson/Gson.class"), "gson is not relocated");
    }

    @Test
    void relocatedReferencesResolveInsideTheJar() throws IOException {
        Set<String> missing = new TreeSet<>();
        try (JarFile jar = new JarFile(AppJar.application().toFile())) {
            for (JarEntry entry : (Iterable<JarEntry>) jar.stream()::iterator) {
                if (isClass(entry.getName())) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        Matcher names = SHADED_NAME.matcher(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
                        while (names.find()) {
                            if (!resolves(names.group())) {
                                missing.add(entry.getName() + " -> " + names.group());
                            }
                        }
                    }
                }
            }
        }
        assertTrue(missing.isEmpty(), "relocated names with nothing behind them: " + missing);
    }

    @Test
    void djlLoadsPyTorchAndTheTokenizerFromTheJarOfflineInAFreshJvm() throws Exception {
        DeraVector expected = SharedModels.greedyVectors().get(0);
        Path cache = Files.createDirectories(work.resolve("djl-cache"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(ProjectPaths.jvmOptions());
        command.addAll(List.of("-cp", AppJar.application() + File.pathSeparator
                + SparkInstall.distribution().classpath(), "dev.dera.cli.DeraCli", "complete",
                "--model", SharedModels.reference().toString(), "--prompt", expected.prompt,
                "--max-new-tokens", String.valueOf(expected.max_new_tokens)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("out.txt").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("PYTORCH_"));
        builder.environment().put("DJL_CACHE_DIR", cache.toString());
        builder.environment().put("ENGINE_CACHE_DIR", cache.toString());
        Process process = builder.start();
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the fresh JVM did not finish in 2 minutes");
        String out = Files.readString(work.resolve("out.txt"));
        assertEquals(0, process.exitValue(), out);
        assertTrue(out.endsWith(expected.completion_text + System.lineSeparator()), out);
        try (Stream<Path> files = Files.walk(cache)) {
            assertFalse(files.noneMatch(file -> file.getFileName().toString().equals("libtorch_cpu.so")),
                    "DJL did not extract libtorch from the jar into its fresh cache " + cache);
        }
    }

    /** A class file (not a module descriptor). */
    private static boolean isClass(String entry) {
        return entry.endsWith(".class") && !entry.endsWith("module-info.class");
    }

    /** A relocated class in the jar, or the start of a resource or package name there (a name used as a string). */
    private static boolean resolves(String name) {
        return appEntries.contains(name + ".class") || appEntries.stream().anyMatch(entry -> entry.startsWith(name));
    }

    private static Set<String> entries(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(JarEntry::getName).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
