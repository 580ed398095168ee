package dev.dera.spark;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The per-lambda table printed at the end of a run, stored in the manifest and printed by {@code dera inspect}:
 * rows, errors, and over the rows without error the mean completion tokens, log-prob and KL to the reference.
 */
final class LambdaSummary {
    private LambdaSummary() {}

    /** One JSON object per lambda, in lambda order. */
    static JsonArray of(Dataset<Row> generations) {
        Column ok = col(Schemas.FINISH_REASON).notEqual(lit(GenerationRows.ERROR));
        Column isError = col(Schemas.FINISH_REASON).equalTo(lit(GenerationRows.ERROR));
        JsonArray table = new JsonArray();
        for (Row r : generations.groupBy(Schemas.LAMBDA)
                .agg(count(lit(1)), sum(when(isError, 1).otherwise(0)),
                        sum(size(col(Schemas.COMPLETION_IDS))),
                        avg(when(ok, size(col(Schemas.COMPLETION_IDS)))),
                        avg(when(ok, col(Schemas.SUM_LOGPROB))),
                        avg(when(ok, col(Schemas.KL_TO_REF))))
                .orderBy(Schemas.LAMBDA)
                .collectAsList()) {
            JsonObject line = new JsonObject();
            line.addProperty("lambda", r.getDouble(0));
            line.addProperty("rows", r.getLong(1));
            line.addProperty("errors", r.getLong(2));
            line.addProperty("tokens", r.getLong(3));
            line.addProperty("mean_completion_tokens", r.isNullAt(4) ? null : r.getDouble(4));
            line.addProperty("mean_logprob", r.isNullAt(5) ? null : r.getDouble(5));
            line.addProperty("mean_kl_to_ref", r.isNullAt(6) ? null : r.getDouble(6));
            table.add(line);
        }
        return table;
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
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%10s %10s %8s %12s %12s %12s%n",
                "lambda", "rows", "errors", "mean tokens", "mean logprob", "mean KL"));
        for (JsonElement element : table) {
            JsonObject line = element.getAsJsonObject();
            out.append(String.format(Locale.ROOT, "%10s %10d %8d %12s %12s %12s%n",
                    line.get("lambda").getAsDouble(), line.get("rows").getAsLong(), line.get("errors").getAsLong(),
                    number(line, "mean_completion_tokens"), number(line, "mean_logprob"),
                    number(line, "mean_kl_to_ref")));
        }
        return out.toString();
    }

    private static String number(JsonObject line, String field) {
        JsonElement value = line.get(field);
        return value == null || value.isJsonNull() ? "-" : String.format(Locale.ROOT, "%.4f", value.getAsDouble());
    }
}
