package dev.dera.spark;

import dev.dera.lm.ModelConfigException;
import dev.dera.lm.safetensors.SafetensorsException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Fails the driver's Spark jobs once, with the one-line message, when an executor cannot use the models (a file
 * that changed after the driver checked it, a node that cannot read the folder): every retry of every task would
 * fail the same way, so the first such task failure cancels the jobs instead of waiting for spark.task.maxFailures.
 */
final class ModelErrorWatch extends SparkListener {
    private static final Set<String> MODEL_ERRORS = Set.of(ModelConfigException.class.getName(),
            SafetensorsException.class.getName());

    private static final String CAUSED_BY = "Caused by: ";

    private final SparkContext spark;
    private final String group = "dera-" + UUID.randomUUID();
    private volatile String firstError;

    private ModelErrorWatch(SparkContext spark) {
        this.spark = spark;
    }

    /** Runs {@code jobs} in a job group that the first model error on an executor cancels, then fails with it. */
    static <T> T run(SparkContext spark, Supplier<T> jobs) {
        ModelErrorWatch watch = new ModelErrorWatch(spark);
        spark.addSparkListener(watch);
        spark.setJobGroup(watch.group, "dera generate", true);
        try {
            return jobs.get();
        } catch (RuntimeException e) {
            if (watch.firstError != null) {
                throw new ModelConfigException("an executor cannot use the models: " + watch.firstError, e);
            }
            throw e;
        } finally {
            spark.clearJobGroup();
            spark.removeSparkListener(watch);
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        if (firstError == null && taskEnd.reason() instanceof ExceptionFailure failure) {
            modelError(failure).ifPresent(message -> {
                firstError = message;
                spark.cancelJobGroup(group);
            });
        }
    }

    /** The message of a model error anywhere in the failure's cause chain (Spark's writer wraps task errors). */
    static Optional<String> modelError(ExceptionFailure failure) {
        for (String line : failure.fullStackTrace().split("\n")) {
            String thrown = line.startsWith(CAUSED_BY) ? line.substring(CAUSED_BY.length()) : line;
            for (String type : MODEL_ERRORS) {
                if (thrown.startsWith(type + ": ")) {
                    return Optional.of(thrown.substring(type.length() + 2));
                }
            }
        }
        return Optional.empty();
    }
}
