package dev.dera.spark;

import static org.apache.spark.sql.functions.lit;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import dev.dera.eval.LambdaTable;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The per-lambda table ({@link LambdaTable}, without reward) printed at the end of a run, stored in the manifest
 * and printed by {@code dera inspect}.
 */
final class LambdaSummary {
    private LambdaSummary() {}

    /** One JSON object per lambda, in lambda order. */
    static JsonArray of(Dataset<Row> generations) {
        return LambdaTable.toJson(LambdaTable.summarize(
                PromptGroups.collect(PromptGroups.scored(generations, lit(null)), false), Optional.empty()));
    }

    /** Sum of one integer column over all lambdas. */
    static long total(JsonArray table, String field) {
        long total = 0;
        for (JsonElement line : table) {
            total += line.getAsJsonObject().get(field).getAsLong();
        }
        return total;
    }

    static String format(JsonArray table) {
        return LambdaTable.format(LambdaTable.fromJson(table));
    }
}
