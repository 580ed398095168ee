package dev.dera.spark.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;

/**
 * Test application: writes the keys {@code key-0 .. key-(n-1)} as text with Spark's file writer, in slow tasks.
 * Each task attempt first leaves its marker in a {@link TaskMarkers} folder, then sleeps. Arguments: output folder,
 * markers folder, number of keys, number of partitions, milliseconds each task sleeps.
 */
public final class KeyedOutputApp {
    private KeyedOutputApp() {}

    public static void main(String[] args) throws Exception {
        String output = args[0];
        String markers = args[1];
        int keys = Integer.parseInt(args[2]);
        int partitions = Integer.parseInt(args[3]);
        long sleepMillis = Long.parseLong(args[4]);
        try (SparkSession spark = SparkSession.builder().appName("keyed-output").getOrCreate()) {
            List<Integer> ids = IntStream.range(0, keys).boxed().collect(Collectors.toList());
            JavaRDD<String> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
                    .parallelize(ids, partitions)
                    .mapPartitions(partition -> slowKeys(partition, Path.of(markers), sleepMillis));
            spark.createDataset(rows.rdd(), Encoders.STRING()).write().text(output);
        }
    }

    private static Iterator<String> slowKeys(Iterator<Integer> ids, Path markers, long sleepMillis)
            throws Exception {
        TaskMarkers.markStarted(markers);
        Thread.sleep(sleepMillis);
        List<String> keys = new ArrayList<>();
        ids.forEachRemaining(id -> keys.add("key-" + id));
        return keys.iterator();
    }
}
