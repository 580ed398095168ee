package dev.dera.spark.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Test application: runs {@code tasks} tasks that each report the GPU Spark assigned to them ({@link GpuProbe}) and
 * writes one line per task to {@code output}. Arguments: output file, number of tasks, milliseconds each task holds
 * its GPU.
 */
public final class GpuProbeApp {
    private GpuProbeApp() {}

    public static void main(String[] args) throws Exception {
        Path output = Path.of(args[0]);
        int tasks = Integer.parseInt(args[1]);
        long holdMillis = Long.parseLong(args[2]);
        try (JavaSparkContext spark = new JavaSparkContext(new SparkConf().setAppName("gpu-probe"))) {
            List<Integer> partitions = IntStream.range(0, tasks).boxed().collect(Collectors.toList());
            List<String> lines = spark.parallelize(partitions, tasks)
                    .map(partition -> GpuProbe.ofRunningTask(holdMillis).toLine())
                    .collect();
            Files.write(output, lines);
        }
    }
}
