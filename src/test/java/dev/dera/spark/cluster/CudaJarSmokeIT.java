package dev.dera.spark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dera.testing.DeraVector;
import dev.dera.testing.SharedModels;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CPU smoke test of {@code mvn -Pcuda verify}: the cuda application jar (DJL 0.33) with the libtorch 2.5.1+cu124
 * native jar and Spark's jars, as an executor has them, offline, on a machine without a GPU. A CUDA libtorch runs CPU
 * operators, so stories260K's greedy completion must be the test vector's, which the default build's
 * {@code dera complete} prints too (CompleteAndDecodeCommandTest).
 *
 * <p>Without a CUDA driver DJL skips the cu124 jar (it only matches a machine with CUDA 12.4 or newer) and would
 * download a CPU libtorch instead, so this test unpacks the jar's libraries itself, once per machine, into a DJL engine
 * cache of its own ({@value #CACHE}), without {@code libcaffe2_nvrtc.so}, the one library that links the CUDA driver,
 * and points DJL at it with {@code ENGINE_CACHE_DIR} and {@code PYTORCH_FLAVOR=cu124}.
 */
@EnabledIfSystemProperty(named = CudaJarSmokeIT.NATIVE_JAR, matches = ".+")
class CudaJarSmokeIT {
    /** Set by the cuda profile: the native jar it copies beside the application jar. */
    static final String NATIVE_JAR = "dera.cudaNativeJar";
    /** The smoke test's DJL engine cache, under the user's home like DJL's own {@code ~/.djl.ai}. */
    static final String CACHE = ".djl.ai/cuda-cpu-smoke";

    private static final String LIBRARIES = "pytorch/cu124/linux-x86_64/";
    private static final String NEEDS_DRIVER = "libcaffe2_nvrtc.so";

    @TempDir
    Path work;

    @Test
    void theCudaJarsGreedyCompletionOnTheCpuIsTheDefaultBuilds() throws Exception {
        DeraVector expected = SharedModels.greedyVectors().get(0);
        Path nativeJar = Path.of(System.getProperty(NATIVE_JAR));
        Path cache = Path.of(System.getProperty("user.home")).resolve(CACHE);
        unpackOnce(nativeJar, cache.resolve("pytorch").resolve("2.5.1-cu124-linux-x86_64"));

        String classpath = String.join(File.pathSeparator, System.getProperty("dera.appJar"), nativeJar.toString(),
                SparkInstall.distribution().classpath());
        List<String> flags = new ArrayList<>(ProjectPaths.jvmOptions());
        // DJL's INFO lines say which libtorch it loads; the default log4j2 configuration prints them
        flags.addAll(List.of("-Dorg.apache.logging.log4j.level=INFO", "-Dai.djl.pytorch.num_threads=1"));
        Path log = work.resolve("complete.log");
        JvmProcess complete = JvmProcess.start("dera complete (cuda jar)", flags, classpath, "dev.dera.cli.DeraCli",
                List.of("complete", "--model", SharedModels.reference().toString(), "--prompt", expected.prompt,
                        "--max-new-tokens", String.valueOf(expected.max_new_tokens)),
                Map.of("ENGINE_CACHE_DIR", cache.toString(), "PYTORCH_FLAVOR", "cu124"), log);
        int status = complete.awaitExit(300);
        String output = Files.readString(log);
        assertEquals(0, status, output);
        assertTrue(output.contains("PYTORCH_FLAVOR: cu124") && !output.contains("Downloading"),
                "libtorch 2.5.1+cu124 from the native jar, offline: " + output);
        assertTrue(output.lines().anyMatch(expected.completion_text::equals),
                "the vector's completion \"" + expected.completion_text + "\" as a line of: " + output);
    }

    /** Unpacks the native jar's libraries into {@code dir} unless an earlier run did (about 4 GB, minutes). */
    private static void unpackOnce(Path nativeJar, Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve("libtorch.so"))) {
            return;
        }
        Files.createDirectories(dir.getParent());
        Path partial = Files.createTempDirectory(dir.getParent(), "unpacking");
        try (ZipFile jar = new ZipFile(nativeJar.toFile());
                AutoCloseable cleanUp = () -> deleteIfLeft(partial)) {
            Enumeration<? extends ZipEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName().substring(entry.getName().lastIndexOf('/') + 1);
                if (entry.getName().startsWith(LIBRARIES) && !entry.isDirectory() && !name.equals(NEEDS_DRIVER)) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        Files.copy(in, partial.resolve(name));
                    }
                }
            }
            Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (Exception e) {
            throw new IOException("cannot unpack " + nativeJar + " into " + dir, e);
        }
    }

    /** Removes what a failed unpacking left (nothing after the move). */
    private static void deleteIfLeft(Path partial) throws IOException {
        if (Files.exists(partial)) {
            try (Stream<Path> paths = Files.walk(partial)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
