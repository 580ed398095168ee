package dev.dera.spark;

import static org.apache.spark.sql.functions.col;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The job's input and output schemas, mirrored by {@code data-schemas/prompts.json} and
 * {@code data-schemas/generations.json} (Spark's {@code StructType.json()}; a test keeps them equal).
 */
public final class Schemas {
    public static final String PROMPT_ID = "prompt_id";
    public static final String PROMPT = "prompt";
    public static final String MESSAGES = "messages";
    public static final String LAMBDA = "lambda";
    public static final String SAMPLE_INDEX = "sample_index";
    public static final String COMPLETION_IDS = "completion_ids";
    public static final String FINISH_REASON = "finish_reason";
    public static final String ERROR = "error";
    public static final String SUM_LOGPROB = "sum_logprob";
    public static final String KL_TO_REF = "kl_to_ref";
    public static final String REF_MODEL = "ref_model";
    public static final String ALIGNED_MODEL = "aligned_model";

    /** A conversation: the {@code messages} column's type. */
    public static final DataType MESSAGES_TYPE = DataTypes.createArrayType(new StructType(new StructField[] {
        nullable("role", DataTypes.StringType),
        nullable("content", DataTypes.StringType),
    }), true);

    /**
     * One prompt per row; prompt_id unique and not null; the prompt is either text ({@code prompt}) or a conversation
     * ({@code messages}) that the chat template renders: exactly one of them per row. An input may lack either column.
     */
    public static final StructType PROMPTS = new StructType(new StructField[] {
        nullable(PROMPT_ID, DataTypes.StringType)
                .withComment("unique, not null: keys the output rows and the random draws"),
        nullable(PROMPT, DataTypes.StringType)
                .withComment("prompt text; exactly one of prompt and messages per row (both or neither: an error row)"),
        nullable(MESSAGES, MESSAGES_TYPE)
                .withComment("a conversation, rendered with the chat template (add_generation_prompt); a malformed one"
                        + " (empty, a null message, no role or content, raise_exception) gives an error row"),
    });

    /**
     * One row per (prompt_id, lambda, sample_index): the columns every output has, in this order. {@code prompt} is
     * the text that was decoded; {@code ref_model}/{@code aligned_model} name the model folders and the
     * {@code _sha256} columns hold a prefix of the {@link ModelStamp} digest of their contents. {@code lambda} is in
     * the files and also names the Parquet partition folder. The input's other columns follow, carried unchanged
     * ({@link #withCarried}).
     */
    public static final StructType GENERATIONS = new StructType(new StructField[] {
        nullable(PROMPT_ID, DataTypes.StringType),
        nullable(PROMPT, DataTypes.StringType),
        nullable(SAMPLE_INDEX, DataTypes.IntegerType),
        nullable("seed", DataTypes.LongType),
        nullable("prompt_token_count", DataTypes.IntegerType),
        nullable(COMPLETION_IDS, DataTypes.createArrayType(DataTypes.IntegerType, true)),
        nullable("completion_text", DataTypes.StringType),
        nullable(FINISH_REASON, DataTypes.StringType),
        nullable(ERROR, DataTypes.StringType),
        nullable("token_logprobs", DataTypes.createArrayType(DataTypes.FloatType, true)),
        nullable("ref_token_logprobs", DataTypes.createArrayType(DataTypes.FloatType, true)),
        nullable("aligned_token_logprobs", DataTypes.createArrayType(DataTypes.FloatType, true)),
        nullable(SUM_LOGPROB, DataTypes.DoubleType),
        nullable("ref_sum_logprob", DataTypes.DoubleType),
        nullable("aligned_sum_logprob", DataTypes.DoubleType),
        nullable(KL_TO_REF, DataTypes.DoubleType),
        nullable("generation_ms", DataTypes.LongType),
        nullable(REF_MODEL, DataTypes.StringType),
        nullable(REF_MODEL + "_sha256", DataTypes.StringType),
        nullable(ALIGNED_MODEL, DataTypes.StringType),
        nullable(ALIGNED_MODEL + "_sha256", DataTypes.StringType),
        nullable(LAMBDA, DataTypes.DoubleType),
    });

    private Schemas() {}

    /**
     * Fails with the expected schema in the message when {@code actual} lacks prompt_id, has neither prompt nor
     * messages, or mistypes one of them (nullability aside).
     */
    public static void requirePromptColumns(StructType actual, String source) {
        List<String> names = Arrays.asList(actual.fieldNames());
        String problem = null;
        if (!names.contains(PROMPT_ID)) {
            problem = "has no column " + PROMPT_ID;
        } else if (!names.contains(PROMPT) && !names.contains(MESSAGES)) {
            problem = "has neither a " + PROMPT + " nor a " + MESSAGES + " column";
        }
        for (StructField expected : PROMPTS.fields()) {
            if (problem == null && names.contains(expected.name())) {
                DataType type = actual.apply(expected.name()).dataType();
                if (!DataType.equalsIgnoreNullability(type, expected.dataType())) {
                    problem = "has column " + expected.name() + " of type " + type.simpleString() + ", not "
                            + expected.dataType().simpleString();
                }
            }
        }
        if (problem != null) {
            throw new IllegalArgumentException("input " + source + " " + problem + "; expected the schema of"
                    + " data-schemas/prompts.json: " + PROMPTS.json());
        }
    }

    /** The output schema: {@link #GENERATIONS}, then the carried input columns in their input order. */
    public static StructType withCarried(StructType carried) {
        StructType schema = GENERATIONS;
        for (StructField field : carried.fields()) {
            schema = schema.add(field);
        }
        return schema;
    }

    /** The column of that exact name (a dot or backtick in it is part of the name, not a path). */
    static Column column(String name) {
        return col("`" + name.replace("`", "``") + "`");
    }

    private static StructField nullable(String name, DataType type) {
        return DataTypes.createStructField(name, type, true);
    }
}
