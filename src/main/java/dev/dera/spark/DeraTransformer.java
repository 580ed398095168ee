package dev.dera.spark;

import static org.apache.spark.sql.functions.col;

import dev.dera.decode.ModelPair;
import dev.dera.lm.ComputeType;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * DeRa decoding as a Spark ML {@link Transformer}: each input row (an id column and a prompt column) becomes one
 * output row per (lambda, sample) with the schema of {@code data-schemas/generations.json}. Decoding runs on the
 * executors, each holding one model pair per device; the input's partitioning is kept (partition by prompt id
 * before calling it to spread the work). {@code dera generate} uses it for every chunk.
 */
public final class DeraTransformer extends Transformer {
    private final String uid;
    private final Param<String> refModel;
    private final Param<String> alignedModel;
    private final Param<String> dtype;
    private final DoubleArrayParam lambdas;
    private final IntParam samples;
    private final DoubleParam temperature;
    private final IntParam topK;
    private final DoubleParam topP;
    private final DoubleParam minP;
    private final LongParam seed;
    private final IntParam maxNewTokens;
    private final StringArrayParam stopStrings;
    private final Param<String> promptTruncate;
    private final IntParam batchMaxTokens;
    private final IntParam batchMaxPrompts;
    private final Param<String> inputCol;
    private final Param<String> idCol;
    private DecodeCounters counters;

    public DeraTransformer() {
        this(Identifiable$.MODULE$.randomUID("dera"));
    }

    /** With a given uid (Spark's {@code copy} calls this constructor). */
    public DeraTransformer(String uid) {
        this.uid = uid;
        refModel = new Param<>(this, "refModel", "reference (SFT) model folder, on any Hadoop filesystem");
        alignedModel = new Param<>(this, "alignedModel", "aligned (RLHF/DPO) model folder, on any Hadoop filesystem");
        dtype = new Param<>(this, "dtype", "compute dtype: float32 or float16");
        lambdas = new DoubleArrayParam(this, "lambdas", "realignment strengths (finite)");
        samples = new IntParam(this, "samples", "samples per lambda (>= 1)");
        temperature = new DoubleParam(this, "temperature", "sampling temperature, 0 = greedy");
        topK = new IntParam(this, "topK", "top-k filter, 0 = off");
        topP = new DoubleParam(this, "topP", "top-p filter in (0, 1], 1 = off");
        minP = new DoubleParam(this, "minP", "min-p filter in [0, 1), 0 = off");
        seed = new LongParam(this, "seed", "run seed of the counter-based random draws");
        maxNewTokens = new IntParam(this, "maxNewTokens", "most generated tokens per row (>= 1)");
        stopStrings = new StringArrayParam(this, "stopStrings", "texts that end a completion (cut from it)");
        promptTruncate = new Param<>(this, "promptTruncate", "over-long prompts: error or left (keep the last tokens)");
        batchMaxTokens = new IntParam(this, "batchMaxTokens", "token budget of a micro-batch: rows x (prompt + max new)");
        batchMaxPrompts = new IntParam(this, "batchMaxPrompts", "most prompts in a micro-batch");
        inputCol = new Param<>(this, "inputCol", "prompt text column");
        idCol = new Param<>(this, "idCol", "unique prompt id column (keys the random draws)");
        setDefault(dtype, "float32");
        setDefault(lambdas, new double[] {0, 0.5, 1, 2});
        setDefault(samples, 1);
        setDefault(temperature, 0.0);
        setDefault(topK, 0);
        setDefault(topP, 1.0);
        setDefault(minP, 0.0);
        setDefault(seed, 0L);
        setDefault(maxNewTokens, 64);
        setDefault(stopStrings, new String[0]);
        setDefault(promptTruncate, "error");
        setDefault(batchMaxTokens, 65536);
        setDefault(batchMaxPrompts, 64);
        setDefault(inputCol, Schemas.PROMPT);
        setDefault(idCol, Schemas.PROMPT_ID);
    }

    /** A transformer with every decoding setting of a job configuration. */
    public static DeraTransformer fromConfig(JobConfig config) {
        return new DeraTransformer()
                .setRefModel(config.refModel())
                .setAlignedModel(config.alignedModel())
                .setDtype(config.get("model.dtype"))
                .setLambdas(config.lambdas())
                .setSamples(config.samples())
                .setTemperature(config.sampling().temperature())
                .setTopK(config.sampling().topK())
                .setTopP(config.sampling().topP())
                .setMinP(config.sampling().minP())
                .setSeed(config.seed())
                .setMaxNewTokens(config.maxNewTokens())
                .setStopStrings(config.stopStrings().toArray(new String[0]))
                .setPromptTruncate(config.truncateLeft() ? "left" : "error")
                .setBatchMaxTokens(config.batchMaxTokens())
                .setBatchMaxPrompts(config.batchMaxPrompts());
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        DecodeSettings settings = validate(dataset.sparkSession());
        DecodeCounters taskCounters = counters != null ? counters
                : DecodeCounters.register(dataset.sparkSession().sparkContext());
        List<Column> columns = new java.util.ArrayList<>(List.of(
                col(getIdCol()).as(Schemas.PROMPT_ID), col(getInputCol()).as(Schemas.PROMPT)));
        for (String optional : List.of(PartitionDecoder.INPUT_ERROR, Schemas.MESSAGES)) {
            if (Arrays.asList(dataset.schema().fieldNames()).contains(optional)) {
                columns.add(col(optional));
            }
        }
        return dataset.select(columns.toArray(new Column[0]))
                .mapPartitions(new PartitionDecoder(settings, taskCounters), Encoders.row(Schemas.GENERATIONS));
    }

    /** Checks that the id and prompt columns exist and hold strings; the output is the generations schema. */
    @Override
    public StructType transformSchema(StructType schema) {
        for (String column : List.of(getIdCol(), getInputCol())) {
            if (!Arrays.asList(schema.fieldNames()).contains(column)
                    || !schema.apply(column).dataType().equals(DataTypes.StringType)) {
                throw new IllegalArgumentException("DeraTransformer needs a string column \"" + column
                        + "\"; the input schema is " + schema.simpleString());
            }
        }
        return Schemas.GENERATIONS;
    }

    private DecodeSettings settings(Map<String, String> hadoopConf) {
        if (!isDefined(refModel) || !isDefined(alignedModel)) {
            throw new IllegalArgumentException("DeraTransformer needs refModel and alignedModel");
        }
        String truncate = $(promptTruncate);
        if (!truncate.equals("error") && !truncate.equals("left")) {
            throw new IllegalArgumentException("promptTruncate must be error or left, got " + truncate);
        }
        return new DecodeSettings($(refModel), $(alignedModel), ComputeType.parse($(dtype)), $(lambdas),
                (Integer) $(samples), (Long) $(seed), (Integer) $(maxNewTokens), (Double) $(temperature),
                (Integer) $(topK), (Double) $(topP), (Double) $(minP), Arrays.asList($(stopStrings)),
                truncate.equals("left"), (Integer) $(batchMaxTokens), (Integer) $(batchMaxPrompts), hadoopConf);
    }

    /**
     * Checks every param and that both models share one tokenizer, on the driver before any task; returns the
     * settings the executors get.
     */
    public DecodeSettings validate(SparkSession spark) {
        DecodeSettings settings = settings(hadoopConf(spark));
        ModelPair.requireSameTokenizer(ModelFiles.localizeMetadata(settings.refModel(), settings.hadoopConf()),
                ModelFiles.localizeMetadata(settings.alignedModel(), settings.hadoopConf()));
        return settings;
    }

    /** The session's {@code spark.hadoop.*} settings without the prefix, as Spark gives them to Hadoop. */
    static Map<String, String> hadoopConf(SparkSession spark) {
        Map<String, String> conf = new HashMap<>();
        for (Tuple2<String, String> entry : spark.sparkContext().getConf().getAllWithPrefix("spark.hadoop.")) {
            conf.put(entry._1(), entry._2());
        }
        return conf;
    }

    @Override
    public DeraTransformer copy(ParamMap extra) {
        DeraTransformer copy = defaultCopy(extra);
        copy.counters = counters;
        return copy;
    }

    @Override
    public String uid() {
        return uid;
    }

    /** Accumulators the tasks add their rows, tokens and errors to (by default, fresh ones per transform). */
    public DeraTransformer setCounters(DecodeCounters counters) {
        this.counters = counters;
        return this;
    }

    public Param<String> refModel() {
        return refModel;
    }

    public Param<String> alignedModel() {
        return alignedModel;
    }

    public Param<String> dtype() {
        return dtype;
    }

    public DoubleArrayParam lambdas() {
        return lambdas;
    }

    public IntParam samples() {
        return samples;
    }

    public DoubleParam temperature() {
        return temperature;
    }

    public IntParam topK() {
        return topK;
    }

    public DoubleParam topP() {
        return topP;
    }

    public DoubleParam minP() {
        return minP;
    }

    public LongParam seed() {
        return seed;
    }

    public IntParam maxNewTokens() {
        return maxNewTokens;
    }

    public StringArrayParam stopStrings() {
        return stopStrings;
    }

    public Param<String> promptTruncate() {
        return promptTruncate;
    }

    public IntParam batchMaxTokens() {
        return batchMaxTokens;
    }

    public IntParam batchMaxPrompts() {
        return batchMaxPrompts;
    }

    public Param<String> inputCol() {
        return inputCol;
    }

    public Param<String> idCol() {
        return idCol;
    }

    public String getInputCol() {
        return $(inputCol);
    }

    public String getIdCol() {
        return $(idCol);
    }

    public DeraTransformer setRefModel(String value) {
        return setParam(refModel, value);
    }

    public DeraTransformer setAlignedModel(String value) {
        return setParam(alignedModel, value);
    }

    public DeraTransformer setDtype(String value) {
        return setParam(dtype, value);
    }

    public DeraTransformer setLambdas(double[] value) {
        return setParam(lambdas, value);
    }

    public DeraTransformer setSamples(int value) {
        return setParam(samples, value);
    }

    public DeraTransformer setTemperature(double value) {
        return setParam(temperature, value);
    }

    public DeraTransformer setTopK(int value) {
        return setParam(topK, value);
    }

    public DeraTransformer setTopP(double value) {
        return setParam(topP, value);
    }

    public DeraTransformer setMinP(double value) {
        return setParam(minP, value);
    }

    public DeraTransformer setSeed(long value) {
        return setParam(seed, value);
    }

    public DeraTransformer setMaxNewTokens(int value) {
        return setParam(maxNewTokens, value);
    }

    public DeraTransformer setStopStrings(String[] value) {
        return setParam(stopStrings, value);
    }

    public DeraTransformer setPromptTruncate(String value) {
        return setParam(promptTruncate, value);
    }

    public DeraTransformer setBatchMaxTokens(int value) {
        return setParam(batchMaxTokens, value);
    }

    public DeraTransformer setBatchMaxPrompts(int value) {
        return setParam(batchMaxPrompts, value);
    }

    public DeraTransformer setInputCol(String value) {
        return setParam(inputCol, value);
    }

    public DeraTransformer setIdCol(String value) {
        return setParam(idCol, value);
    }

    private <T> DeraTransformer setParam(Param<T> param, T value) {
        set(param, value);
        return this;
    }
}
