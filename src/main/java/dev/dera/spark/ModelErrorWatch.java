package dev.dera.spark;

import dev.dera.lm.ModelConfigException;
import dev.dera.lm.safetensors.SafetensorsException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    private static final Pattern MODEL_ERROR = Pattern.compile("(" + Pattern.quote(ModelConfigException.class.getName())
            + "|" + Pattern.quote(SafetensorsException.class.getName()) + "): (.*)");

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
        } catch (Exception e) { // SparkException reaches Java code unchecked
            Optional<String> error = Optional.ofNullable(watch.firstError).or(() -> modelError(stackTrace(e)));
            if (error.isPresent()) {
                throw new ModelConfigException("an executor cannot use the models: " + error.get(), e);
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
            modelError(failure.fullStackTrace()).ifPresent(message -> {
                firstError = message;
                spark.cancelJobGroup(group);
            });
        }
    }

    /**
     * The message of the first model error in a stack trace, its causes included (Spark's writer wraps task errors,
     * and a failed job's message quotes the task's error). The listener may not have seen the failure yet when the
     * job's exception reaches the driver, so both are searched.
     */
    static Optional<String> modelError(String stackTrace) {
        return stackTrace.lines().map(MODEL_ERROR::matcher).filter(Matcher::find).findFirst().map(m -> m.group(2));
    }

    private static String stackTrace(Throwable e) {
        StringWriter text = new StringWriter();
        e.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
