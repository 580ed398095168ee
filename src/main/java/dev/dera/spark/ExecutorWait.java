package dev.dera.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * On a cluster, waits a bounded time for the job's first executor: a request the cluster cannot meet (more cores,
 * memory or GPUs per executor than any Worker has free) then fails with what was asked and what the cluster offers,
 * instead of Spark's endless "Initial job has not accepted any resources". {@value #TIMEOUT_KEY} sets the wait
 * (default {@value #DEFAULT_TIMEOUT}); {@value #MASTER_UI_KEY} the standalone Master's web UI that tells the offers
 * (default port 8080 of the master's host). Local masters and dynamic allocation are not waited for.
 */
public final class ExecutorWait {
    static final String TIMEOUT_KEY = "spark.dera.executorWaitTimeout";
    static final String DEFAULT_TIMEOUT = "120s";
    static final String MASTER_UI_KEY = "spark.dera.masterWebUi";
    private static final long POLL_MILLIS = 500;

    private ExecutorWait() {}

    /** Returns once an executor has registered; throws {@link IllegalArgumentException} when none did in time. */
    public static void awaitFirstExecutor(SparkSession spark) {
        SparkContext context = spark.sparkContext();
        SparkConf conf = context.getConf();
        if (context.isLocal() || conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
            return;
        }
        long timeoutSeconds = conf.getTimeAsSeconds(TIMEOUT_KEY, DEFAULT_TIMEOUT);
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        // The driver counts itself among the executors.
        while (context.statusTracker().getExecutorInfos().length < 2) {
            if (System.nanoTime() > deadline) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "no executor started within %d s on %s: each executor asks for %s; %s. Ask for less"
                                + " (--executor-cores, --executor-memory, --gpus-per-executor) or add Workers; %s"
                                + " sets this wait", timeoutSeconds, context.master(), asked(conf), offers(conf,
                                context.master()), TIMEOUT_KEY));
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for executors", e);
            }
        }
    }

    /** What one executor asks for: cores, memory and every resource amount. */
    static String asked(SparkConf conf) {
        List<String> parts = new ArrayList<>();
        parts.add(conf.get("spark.executor.cores", "all free") + " cores (spark.executor.cores)");
        parts.add(conf.get("spark.executor.memory", "1g") + " memory (spark.executor.memory)");
        for (Tuple2<String, String> setting : conf.getAllWithPrefix("spark.executor.resource.")) {
            if (setting._1().endsWith(".amount")) {
                String resource = setting._1().substring(0, setting._1().length() - ".amount".length());
                parts.add(setting._2() + " " + resource + " (spark.executor.resource." + setting._1() + ")");
            }
        }
        return String.join(", ", parts);
    }

    private static String offers(SparkConf conf, String master) {
        if (!master.startsWith("spark://")) {
            return "see the cluster manager for what it offers";
        }
        return StandaloneOffers.fetch(conf.get(MASTER_UI_KEY, StandaloneOffers.defaultWebUi(master)));
    }
}
