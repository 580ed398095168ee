package dev.dera.spark;

import java.util.Collection;
import java.util.UUID;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.apache.spark.SparkContext;

/**
 * Driver side: runs one Spark job per chunk with at most {@code inFlight} of them submitted at a time, so one
 * chunk's slow tasks and its write and commit overlap the next chunk's decoding. Spark's FIFO scheduler gives the
 * earlier chunk's tasks the free slots first. The listener hears of each commit on the calling thread, in commit
 * order. The first failure (of a chunk or of the listener) cancels the chunks in flight, waits for them to stop,
 * and is thrown as it came; chunks committed before it stay committed (docs/EXACTLY_ONCE.md).
 */
final class ChunkJobs {
    private ChunkJobs() {}

    /** Runs {@code decodeAndCommit} for every chunk, at most {@code inFlight} at a time. */
    static void run(SparkContext spark, Collection<Integer> chunks, int inFlight, IntConsumer decodeAndCommit,
            ChunkListener listener) {
        if (chunks.isEmpty()) {
            return;
        }
        String tag = "dera-chunks-" + UUID.randomUUID();
        AtomicBoolean stopped = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(Math.min(inFlight, chunks.size()), namedThreads());
        CompletionService<Integer> done = new ExecutorCompletionService<>(threads);
        try {
            // Threads made here inherit this thread's Spark job group (ModelErrorWatch cancels by it).
            for (int chunk : chunks) {
                done.submit(() -> {
                    if (!stopped.get()) {
                        spark.addJobTag(tag);
                        try {
                            decodeAndCommit.accept(chunk);
                        } catch (Throwable failure) {
                            stopped.set(true); // before this thread takes the next chunk
                            throw failure;
                        } finally {
                            spark.removeJobTag(tag);
                        }
                    }
                    return chunk;
                });
            }
            for (int i = 0; i < chunks.size(); i++) {
                listener.committed(next(done));
            }
        } catch (Throwable e) { // SparkException included, which Java does not see as checked
            stopped.set(true);
            spark.cancelJobsWithTag(tag);
            throw e;
        } finally {
            threads.shutdown();
            awaitQuietly(threads);
        }
    }

    /** The next chunk to commit, or its failure as it was thrown. */
    private static int next(CompletionService<Integer> done) {
        try {
            return done.take().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while chunks were decoding", e);
        } catch (ExecutionException e) {
            throw ChunkJobs.<RuntimeException>rethrow(e.getCause());
        }
    }

    /**
     * Rethrows a chunk's failure unwrapped, as a sequential run would have thrown it: Spark throws its checked
     * SparkException to Java callers without declaring it.
     */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E rethrow(Throwable failure) throws E {
        throw (E) failure;
    }

    private static void awaitQuietly(ExecutorService threads) {
        try {
            threads.awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory namedThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "dera-chunk-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
