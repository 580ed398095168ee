package dev.dera.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.dera.eval.PromptGroup;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Sums generation rows into {@link PromptGroup}s in Spark, so that only one small row per (lambda, prompt), or per
 * lambda, reaches the driver.
 */
final class PromptGroups {
    static final String IS_ERROR = "is_error";
    static final String TOKENS = "tokens";
    static final String REWARD = "reward";
    /** The rows to sum: one per generation row, rewards already scored (null where none). */
    static final StructType SCORED = new StructType()
            .add(Schemas.PROMPT_ID, DataTypes.StringType)
            .add(Schemas.LAMBDA, DataTypes.DoubleType)
            .add(IS_ERROR, DataTypes.BooleanType)
            .add(TOKENS, DataTypes.IntegerType)
            .add(Schemas.KL_TO_REF, DataTypes.DoubleType)
            .add(REWARD, DataTypes.DoubleType);

    private PromptGroups() {}

    /** Generation rows as {@link #SCORED} rows whose reward is {@code reward}, then the {@code extra} columns. */
    static Dataset<Row> scored(Dataset<Row> generations, Column reward, Column... extra) {
        List<Column> columns = new ArrayList<>(List.of(col(Schemas.PROMPT_ID), col(Schemas.LAMBDA),
                col(Schemas.FINISH_REASON).equalTo(lit(GenerationRows.ERROR)).as(IS_ERROR),
                size(col(Schemas.COMPLETION_IDS)).as(TOKENS), col(Schemas.KL_TO_REF),
                reward.cast(DataTypes.DoubleType).as(REWARD)));
        columns.addAll(List.of(extra));
        return generations.select(columns.toArray(Column[]::new));
    }

    /**
     * Sums {@link #SCORED} rows per (lambda, prompt_id), or with {@code perPrompt} false per lambda only (the
     * groups then carry {@link PromptGroup#ALL_PROMPTS}).
     */
    static List<PromptGroup> collect(Dataset<Row> scored, boolean perPrompt) {
        Column ok = col(IS_ERROR).equalTo(lit(false));
        Column promptId = perPrompt ? col(Schemas.PROMPT_ID) : lit(PromptGroup.ALL_PROMPTS);
        List<PromptGroup> groups = new ArrayList<>();
        for (Row r : scored.groupBy(col(Schemas.LAMBDA), promptId.as(Schemas.PROMPT_ID))
                .agg(count(lit(1)), sum(when(col(IS_ERROR), 1).otherwise(0)), sum(col(TOKENS)),
                        sum(when(ok, col(REWARD))), sum(when(ok, col(Schemas.KL_TO_REF))))
                .collectAsList()) {
            groups.add(new PromptGroup(r.getDouble(0), r.getString(1), r.getLong(2), r.getLong(3),
                    r.isNullAt(4) ? 0 : r.getLong(4), r.isNullAt(5) ? Double.NaN : r.getDouble(5),
                    r.isNullAt(6) ? 0 : r.getDouble(6)));
        }
        return groups;
    }
}
