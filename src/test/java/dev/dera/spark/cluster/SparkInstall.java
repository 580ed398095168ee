package dev.dera.spark.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Spark installation made from the test JVM's classpath: {@code SPARK_HOME/jars} holds a link to every jar of
 * {@code java.class.path} (Spark, DJL and the other dependencies), which is where Workers find the classpath for the
 * executors they launch. The project's own classes are not in it: they travel in the application jar.
 */
final class SparkInstall {
    private final Path home;

    private SparkInstall(Path home) {
        this.home = home;
    }

    static SparkInstall create(Path home) throws IOException {
        Path jars = Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("local"));
        for (Path jar : TestClasspath.jars()) {
            Path link = jars.resolve(jar.getFileName());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, jar);
            }
        }
        return new SparkInstall(home);
    }

    /** The classpath of Spark's launch scripts: {@code SPARK_HOME/jars/*}. */
    String classpath() {
        return home.resolve("jars") + File.separator + "*";
    }

    /**
     * What Spark's daemons and launcher read: the home, its Scala version, the loopback address (to bind to and to
     * advertise) and local folders.
     */
    Map<String, String> environment() {
        return Map.of(
                "SPARK_HOME", home.toString(),
                "SPARK_SCALA_VERSION", "2.12",
                "SPARK_CONF_DIR", home.resolve("conf").toString(),
                "SPARK_LOCAL_DIRS", home.resolve("local").toString(),
                "SPARK_LOCAL_IP", StandaloneCluster.HOST,
                "SPARK_LOCAL_HOSTNAME", StandaloneCluster.HOST);
    }
}
