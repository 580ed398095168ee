package dev.dera.spark;

import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/** Accumulators the tasks add to and the driver's progress line reads: rows, generated tokens, error rows. */
public final class DecodeCounters implements Serializable {
    private final LongAccumulator rows;
    private final LongAccumulator tokens;
    private final LongAccumulator errors;

    private DecodeCounters(LongAccumulator rows, LongAccumulator tokens, LongAccumulator errors) {
        this.rows = rows;
        this.tokens = tokens;
        this.errors = errors;
    }

    /** Registers fresh accumulators with the driver's context. */
    public static DecodeCounters register(SparkContext context) {
        return new DecodeCounters(context.longAccumulator("dera rows"), context.longAccumulator("dera tokens"),
                context.longAccumulator("dera error rows"));
    }

    void add(long rowCount, long tokenCount, long errorCount) {
        rows.add(rowCount);
        tokens.add(tokenCount);
        errors.add(errorCount);
    }

    public long rows() {
        return rows.value();
    }

    public long tokens() {
        return tokens.value();
    }

    public long errors() {
        return errors.value();
    }
}
