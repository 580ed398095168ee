package dev.dera.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.function.ForeachFunction;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Chunks' Spark jobs run concurrently, bounded, each once; the first failure stops the rest and is thrown. */
class ChunkJobsTest {
    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = GenerationOutputs.localSpark("ChunkJobsTest");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void everyChunkRunsOnceWithAtMostInFlightAtATimeAndTheListenerHearsEachCommit() {
        List<Integer> chunks = IntStream.range(0, 12).boxed().collect(Collectors.toList());
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        Set<Integer> ran = ConcurrentHashMap.newKeySet();
        List<String> listenerThreads = new ArrayList<>();
        List<Integer> heard = new ArrayList<>();

        ChunkJobs.run(spark.sparkContext(), chunks, 3, chunk -> {
            mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            assertTrue(ran.add(chunk), "chunk " + chunk + " ran twice");
            spark.range(0, 10, 1, 2).count(); // a real Spark job per chunk
            running.decrementAndGet();
        }, chunk -> {
            heard.add(chunk);
            listenerThreads.add(Thread.currentThread().getName());
        });

        assertEquals(new TreeSet<>(chunks), ran);
        assertEquals(new TreeSet<>(chunks), new TreeSet<>(heard));
        assertEquals(chunks.size(), heard.size(), "each commit heard once");
        assertTrue(mostRunning.get() <= 3, "at most 3 in flight, saw " + mostRunning.get());
        assertTrue(mostRunning.get() > 1, "chunks overlap");
        assertEquals(Set.of(Thread.currentThread().getName()), Set.copyOf(listenerThreads),
                "the listener runs on the calling thread");
    }

    @Test
    void theFirstFailureCancelsTheChunkInFlightSkipsTheRestAndIsThrownAsItCame() {
        SparkContext context = spark.sparkContext();
        context.setJobGroup("chunk-jobs-test", "interrupt cancelled tasks", true); // as ModelErrorWatch does
        Set<Integer> started = ConcurrentHashMap.newKeySet();
        List<Integer> heard = new ArrayList<>();
        long begin = System.nanoTime();
        try {
            Exception failure = assertThrows(Exception.class, () -> ChunkJobs.run(context, List.of(0, 1, 2, 3, 4), 2,
                    chunk -> {
                        started.add(chunk);
                        if (chunk == 0) { // a slow chunk on one of the two slots, cancelled when chunk 1 fails
                            spark.range(0, 1, 1, 1).foreach((ForeachFunction<Long>) id -> Thread.sleep(60_000));
                        } else if (chunk == 1) {
                            sleep(1_000);
                            spark.range(0, 1, 1, 1).foreach((ForeachFunction<Long>) id -> {
                                throw new IllegalStateException("chunk 1 failed");
                            });
                        }
                    }, heard::add));
            assertTrue(failure.getMessage().contains("chunk 1 failed"), failure.getMessage());
            assertEquals("org.apache.spark.SparkException", failure.getClass().getName(),
                    "Spark's own exception, not wrapped");
        } finally {
            context.clearJobGroup();
        }
        assertTrue((System.nanoTime() - begin) / 1e9 < 30, "the slow chunk was cancelled, not waited for");
        assertEquals(Set.of(0, 1), started, "no chunk starts after the failure");
        assertEquals(List.of(), heard, "neither chunk committed");
        assertEquals(3, spark.range(0, 3).count(), "the session still runs jobs");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
