package dev.dera.spark.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Spark distribution the cluster tests run on, as a cluster has it: {@code jars/} holds Spark 3.5's own jars
 * and nothing else (built by Maven from {@code src/it/spark-home/pom.xml} into {@code target/spark-home} before the
 * integration tests), so the application jar must bring everything the job needs. {@code bin/spark-submit} starts
 * {@code SparkSubmit} through Spark's launcher library, as a distribution's script does, so the driver JVM gets
 * {@code spark.driver.memory} and {@code spark.driver.extraJavaOptions} the same way.
 */
final class SparkInstall {
    /** The system property (set by failsafe) naming the distribution's folder. */
    static final String HOME_PROPERTY = "dera.sparkHome";

    private static final String SPARK_SUBMIT = """
            # spark-submit of the test distribution: Spark's launcher prints its messages, a NUL and a newline, then
            # the driver's java command (each argument ended by a NUL); its exit status comes last. This script then
            # runs that command in its own place.
            set -euo pipefail
            home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
            export SPARK_HOME="$home"
            mapfile -d '' parts < <("${JAVA_HOME:-%s}/bin/java" -Xmx128m -cp "$home/jars/*" \\
                org.apache.spark.launcher.Main org.apache.spark.deploy.SparkSubmit "$@"; printf '%%d\\0' $?)
            status="${parts[-1]}"
            [[ -z "${parts[0]}" ]] || printf '%%s\\n' "${parts[0]}" >&2
            [[ "$status" == 0 ]] || exit "$status"
            command=("${parts[@]:1:${#parts[@]}-2}")
            command[0]="${command[0]#$'\\n'}"
            exec "${command[@]}"
            """;

    private final Path home;

    private SparkInstall(Path home) {
        this.home = home;
    }

    /** The distribution named by {@value #HOME_PROPERTY}, with {@code bin/spark-submit} written into it. */
    static SparkInstall distribution() throws IOException {
        String property = System.getProperty(HOME_PROPERTY);
        Path home = Path.of(property == null ? "target/spark-home" : property).toAbsolutePath();
        Path jars = home.resolve("jars");
        try (Stream<Path> files = Files.isDirectory(jars) ? Files.list(jars) : Stream.empty()) {
            if (files.noneMatch(jar -> jar.getFileName().toString().startsWith("spark-core_"))) {
                throw new IllegalStateException("no Spark distribution in " + home + ": the cluster tests run under"
                        + " mvn verify, which builds it (src/it/spark-home) after the application jar");
            }
        }
        Path bin = Files.createDirectories(home.resolve("bin"));
        Scripts.writeExecutable(bin.resolve("spark-submit"),
                SPARK_SUBMIT.formatted(System.getProperty("java.home")));
        return new SparkInstall(home);
    }

    Path home() {
        return home;
    }

    /** {@code bin/spark-submit}. */
    Path sparkSubmit() {
        return home.resolve("bin").resolve("spark-submit");
    }

    /** The classpath of Spark's daemons: {@code jars/*}. */
    String classpath() {
        return home.resolve("jars") + File.separator + "*";
    }

    /**
     * What Spark's daemons and launcher read: the home, its Scala version, the cluster's own configuration folder
     * and local folders, the loopback address (to bind to and to advertise), and JVM flags for drivers started by
     * {@code bin/spark-submit} ({@code SPARK_SUBMIT_OPTS}).
     */
    Map<String, String> environment(Path conf, Path local, List<String> driverFlags) {
        Map<String, String> env = new HashMap<>(Map.of(
                "SPARK_HOME", home.toString(),
                "SPARK_SCALA_VERSION", "2.12",
                "SPARK_CONF_DIR", conf.toString(),
                "SPARK_LOCAL_DIRS", local.toString(),
                "SPARK_LOCAL_IP", StandaloneCluster.HOST,
                "SPARK_LOCAL_HOSTNAME", StandaloneCluster.HOST));
        env.put("SPARK_SUBMIT_OPTS", String.join(" ", driverFlags));
        return env;
    }
}
