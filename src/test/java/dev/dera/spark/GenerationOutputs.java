package dev.dera.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.Gson;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reading and comparing dera generate outputs in tests, and writing prompt lines. */
public final class GenerationOutputs {
    private GenerationOutputs() {}

    /** A local[2] session for job tests: two shuffle partitions, no UI. */
    public static SparkSession localSpark(String appName) {
        return SparkSession.builder().master("local[2]").appName(appName)
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
    }

    /** The rows of an output folder by (prompt_id, lambda, sample_index); fails on a duplicate key. */
    public static Map<String, Row> rowsByKey(SparkSession spark, Path out) {
        Map<String, Row> rows = new HashMap<>();
        for (Row row : spark.read().parquet(out.toString()).collectAsList()) {
            assertEquals(null, rows.put(key(row), row), "duplicate key " + key(row));
        }
        return rows;
    }

    /** Same keys, same tokens and text, log-probabilities equal to float32 rounding. */
    public static void assertSameRows(Map<String, Row> expected, Map<String, Row> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (Map.Entry<String, Row> e : expected.entrySet()) {
            Row a = actual.get(e.getKey());
            Row x = e.getValue();
            assertEquals(x.getList(x.fieldIndex("completion_ids")), a.getList(a.fieldIndex("completion_ids")),
                    e.getKey());
            assertEquals((String) x.getAs("completion_text"), a.getAs("completion_text"));
            assertEquals((double) x.getAs("sum_logprob"), (double) a.getAs("sum_logprob"), 1e-3, e.getKey());
        }
    }

    public static String key(Row row) {
        return key(row.getAs("prompt_id"), row.getAs("lambda"), row.getAs("sample_index"));
    }

    public static String key(String promptId, double lambda, int sample) {
        return promptId + "|" + lambda + "|" + sample;
    }

    /** One JSON Lines prompt record. */
    public static String promptLine(String id, String prompt) {
        Map<String, String> line = new LinkedHashMap<>();
        line.put("prompt_id", id);
        line.put("prompt", prompt);
        return new Gson().toJson(line);
    }

    /** {@code count} distinct story openings with ids s0, s1, ... */
    public static List<String> storyPrompts(int count) {
        String[] starts = {"Once upon a time", "The dog", "Lily's mom said", "One day", "Tom and Sue"};
        return IntStream.range(0, count)
                .mapToObj(i -> promptLine("s" + i, starts[i % starts.length] + " went".repeat(i / starts.length)))
                .collect(Collectors.toList());
    }
}
