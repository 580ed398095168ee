package dev.dera.spark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jobs/dera-submit}, run against a stand-in spark-submit that prints its arguments one a line. */
class DeraSubmitScriptTest {
    @TempDir
    Path sparkHome;

    private Path appJar;

    @BeforeEach
    void standInSparkSubmit() throws IOException {
        Scripts.writeExecutable(Files.createDirectories(sparkHome.resolve("bin")).resolve("spark-submit"),
                "printf '%s\\n' \"$@\"\n");
        appJar = Files.createFile(sparkHome.resolve("app.jar"));
    }

    @Test
    void submitsTheCliWithJvmFlagsAndGpuSchedulingAndForwardsTheDeraArguments() {
        List<String> args = submit("--master", "spark://host:7077", "--gpus-per-executor", "2", "--",
                "generate", "--conf", "conf/gpu-cluster.conf");

        assertEquals("dev.dera.cli.DeraCli", valueOf(args, "--class").orElseThrow());
        for (String option : List.of("spark.driver.extraJavaOptions", "spark.executor.extraJavaOptions")) {
            String flags = conf(args, option).orElseThrow();
            ProjectPaths.jvmOptions().forEach(flag -> assertTrue(flags.contains(flag), option + " lacks " + flag));
        }
        assertEquals("2", conf(args, "spark.executor.resource.gpu.amount").orElseThrow());
        assertEquals("1", conf(args, "spark.task.resource.gpu.amount").orElseThrow());
        assertEquals("./gpu-discovery.sh", conf(args, "spark.executor.resource.gpu.discoveryScript").orElseThrow());
        assertEquals(ProjectPaths.jobs().resolve("gpu-discovery.sh").toString(), valueOf(args, "--files").orElseThrow());
        assertEquals("spark://host:7077", valueOf(args, "--master").orElseThrow());
        assertEquals(List.of(appJar.toString(), "generate", "--conf", absolute("conf/gpu-cluster.conf")),
                args.subList(args.indexOf(appJar.toString()), args.size()));
    }

    @Test
    void cpuExecutorsByDefaultAndAQuietClientDriver() {
        List<String> args = submit("--master", "spark://host:7077", "--", "generate");
        assertTrue(args.stream().noneMatch(arg -> arg.contains("resource.gpu")), args.toString());
        assertTrue(valueOf(args, "--files").isEmpty(), args.toString());
        assertTrue(conf(args, "spark.driver.extraJavaOptions").orElseThrow().endsWith(
                " -Dlog4j2.configurationFile=file:" + ProjectPaths.jobs().resolve("log4j2.properties")));
        assertFalse(conf(args, "spark.executor.extraJavaOptions").orElseThrow().contains("log4j2"));

        List<String> cluster = submit("--master", "spark://host:7077", "--deploy-mode", "cluster", "--", "generate");
        assertFalse(conf(cluster, "spark.driver.extraJavaOptions").orElseThrow().contains("log4j2"),
                "a cluster-mode driver runs elsewhere, where jobs/ may not exist");
    }

    @Test
    void theCudaBuildShipsItsNativeJarWithTheUsersJars() {
        Map<String, String> env = environment();
        env.put("DERA_CUDA_NATIVE_JAR", "local:/opt/djl/pytorch-native-cu124-2.5.1-linux-x86_64.jar");
        Scripts.Result result = Scripts.run(Scripts.job("dera-submit"),
                List.of("--cuda", "--jars", "extra.jar", "--", "generate"), env);
        assertEquals(0, result.exitCode(), result.stderr());
        List<String> args = result.stdout().lines().toList();
        assertEquals("local:/opt/djl/pytorch-native-cu124-2.5.1-linux-x86_64.jar,extra.jar",
                valueOf(args, "--jars").orElseThrow());
        assertEquals(1, args.stream().filter("--jars"::equals).count(), args.toString());
        assertTrue(valueOf(submit("--", "generate"), "--jars").isEmpty(), "the CPU build needs no native jar");
    }

    @Test
    void relativePathsOfTheDeraCommandBecomeAbsoluteAndUrisStay() {
        List<String> args = submit("--", "generate", "--ref-model", "models/embedded/reference",
                "--aligned-model=models/embedded/aligned", "--input", "hdfs:///data/prompts", "--output", "out/run",
                "--conf", "conf/local.conf", "--lambdas", "0,1");
        assertEquals(List.of("generate", "--ref-model", absolute("models/embedded/reference"),
                "--aligned-model=" + absolute("models/embedded/aligned"), "--input", "hdfs:///data/prompts",
                "--output", absolute("out/run"), "--conf", absolute("conf/local.conf"), "--lambdas", "0,1"),
                args.subList(args.indexOf(appJar.toString()) + 1, args.size()));
    }

    @Test
    void aConfShippedWithFilesIsReadFromWhereItWasShippedUnlessTheDriverFindsItInItsFolder() {
        List<String> client = submit("--files", "conf/local.conf", "--", "generate", "--conf", "local.conf");
        assertEquals(absolute("conf/local.conf"), valueOf(client, "--conf").orElseThrow());

        List<String> yarnCluster = submit("--master", "yarn", "--deploy-mode", "cluster", "--files", "conf/local.conf",
                "--", "generate", "--conf", "local.conf");
        assertEquals("local.conf", valueOf(yarnCluster, "--conf").orElseThrow());
    }

    @Test
    void javaOptionsAndFilesOfTheUserAddToTheWrappersOwn() {
        List<String> args = submit("--conf", "spark.executor.extraJavaOptions=-Dai.djl.offline=false",
                "--driver-java-options", "-Dtrace=1", "--files", "lexicon.txt", "--verbose",
                "--gpus-per-executor", "1", "--discovery-script", "/opt/spark/gpus.sh", "--gpus-per-task", "0.5", "--",
                "generate");

        assertTrue(conf(args, "spark.executor.extraJavaOptions").orElseThrow().endsWith(" -Dai.djl.offline=false"));
        String driverFlags = conf(args, "spark.driver.extraJavaOptions").orElseThrow();
        assertTrue(driverFlags.contains(" --add-opens") && driverFlags.endsWith(" -Dtrace=1"), driverFlags);
        assertFalse(args.contains("--driver-java-options"), "spark-submit would let it replace the add-opens flags");
        assertEquals("lexicon.txt", valueOf(args, "--files").orElseThrow());
        assertEquals("/opt/spark/gpus.sh", conf(args, "spark.executor.resource.gpu.discoveryScript").orElseThrow());
        assertEquals("0.5", conf(args, "spark.task.resource.gpu.amount").orElseThrow());
        assertTrue(args.contains("--verbose"));
    }

    @Test
    void badArgumentsPrintTheUsage() {
        for (List<String> bad : List.of(List.of("--master", "local[2]"), List.of("--", ""),
                List.of("--gpus-per-executor", "two", "--", "generate"), List.of("generate"))) {
            Scripts.Result result = Scripts.run(Scripts.job("dera-submit"), bad, environment());
            assertEquals(2, result.exitCode(), bad + " was accepted: " + result.stdout());
            assertTrue(result.stderr().contains("usage: jobs/dera-submit"), result.stderr());
        }
    }

    private List<String> submit(String... args) {
        Scripts.Result result = Scripts.run(Scripts.job("dera-submit"), List.of(args), environment());
        assertEquals(0, result.exitCode(), result.stderr());
        return result.stdout().lines().toList();
    }

    /** A path relative to the folder the script runs in (the project root), made absolute. */
    private static String absolute(String relative) {
        return Path.of(relative).toAbsolutePath().toString();
    }

    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("DERA_APP_JAR", appJar.toString());
        return env;
    }

    /** The value after the last {@code option}, as spark-submit reads it. */
    private static Optional<String> valueOf(List<String> args, String option) {
        int at = args.lastIndexOf(option);
        return at < 0 ? Optional.empty() : Optional.of(args.get(at + 1));
    }

    /** The value of the last {@code --conf key=value}. */
    private static Optional<String> conf(List<String> args, String key) {
        Optional<String> value = Optional.empty();
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).equals("--conf") && args.get(i + 1).startsWith(key + "=")) {
                value = Optional.of(args.get(i + 1).substring(key.length() + 1));
            }
        }
        return value;
    }
}
