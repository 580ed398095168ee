package dev.dera.spark.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link StandaloneCluster#submit} passes to {@code spark-submit}: the main class, the application jar (shipped
 * to the executors), the application's arguments and {@code --conf} properties.
 */
public record SparkApplication(String mainClass, Path appJar, List<String> args, Map<String, String> conf) {
    public SparkApplication {
        args = List.copyOf(args);
        conf = Map.copyOf(conf);
    }

    public static SparkApplication of(String mainClass, Path appJar) {
        return new SparkApplication(mainClass, appJar, List.of(), Map.of());
    }

    /**
     * A test application of {@code target/test-classes}, packed into {@code jar}, with the project's application jar
     * beside it ({@code spark.jars}) for the project's classes and DJL.
     */
    public static SparkApplication ofTestApp(Class<?> mainClass, Path jar) throws IOException {
        return of(mainClass.getName(), AppJar.ofTestClasses(jar))
                .withConf("spark.jars", AppJar.application().toString());
    }

    /** Appends application arguments (what comes after the jar on a {@code spark-submit} command line). */
    public SparkApplication withArgs(String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(Arrays.asList(more));
        return new SparkApplication(mainClass, appJar, all, conf);
    }

    /** Sets a Spark property, like {@code --conf key=value}. */
    public SparkApplication withConf(String key, String value) {
        Map<String, String> all = new HashMap<>(conf);
        all.put(key, value);
        return new SparkApplication(mainClass, appJar, args, all);
    }
}
