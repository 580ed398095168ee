package dev.dera.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.dera.decode.DecodeOption;
import dev.dera.decode.DecodeSettings;
import dev.dera.lm.ComputeType;
import dev.dera.lm.ModelFolderCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
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
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * DeRa decoding as a Spark ML {@link Transformer}: each input row (an id column and a prompt column) becomes one
 * output row per (lambda, sample): the columns of {@code data-schemas/generations.json} ({@code prompt_id} from the
 * id column, {@code prompt} the text decoded), then every other input column, unchanged and in its input order. An
 * input column that would clash with a generated one fails {@link #transformSchema}. Decoding runs on the
 * executors, each holding one model pair per device; the input's partitioning is kept (partition by prompt id
 * before calling it to spread the work). Saves and loads with its params inside a Pipeline
 * ({@link DefaultParamsWritable}). The decode Params (names, docs, defaults) come from the {@link DecodeOption}
 * table and are checked as one {@link DecodeSettings}. {@code dera generate} uses it for every chunk.
 */
public final class DeraTransformer extends Transformer implements DefaultParamsWritable {
    private final String uid;
    private final Param<String> refModel;
    private final Param<String> alignedModel;
    private final Param<String> dtype;
    private final Map<DecodeOption, Param<?>> decodeParams = new EnumMap<>(DecodeOption.class);
    private final Param<String> promptTruncate;
    private final IntParam batchMaxTokens;
    private final IntParam batchMaxPrompts;
    private final IntParam batchMaxActiveRows;
    private final Param<String> inputCol;
    private final Param<String> idCol;
    private DecodeCounters counters;
    private ModelStamp modelStamp;
    private List<String> stampedModels = List.of();
    /** The last settings whose model folders {@link #validate} checked: later calls with equal ones skip the check. */
    private volatile TaskSettings checkedSettings;

    public DeraTransformer() {
        this(Identifiable$.MODULE$.randomUID("dera"));
    }

    /** With a given uid (Spark's {@code copy} calls this constructor). */
    public DeraTransformer(String uid) {
        this.uid = uid;
        refModel = new Param<>(this, "refModel", "reference (SFT) model folder, on any Hadoop filesystem");
        alignedModel = new Param<>(this, "alignedModel", "aligned (RLHF/DPO) model folder, on any Hadoop filesystem");
        dtype = new Param<>(this, "dtype", "compute dtype: float32 or float16");
        for (DecodeOption option : DecodeOption.values()) {
            Param<Object> param = newParam(option);
            decodeParams.put(option, param);
            setDefault(param, option.defaultValue());
        }
        promptTruncate = new Param<>(this, "promptTruncate", "over-long prompts: error or left (keep the last tokens)");
        batchMaxTokens = new IntParam(this, "batchMaxTokens", "KV cache slots of a task: rows x (longest prompt + max new)");
        batchMaxPrompts = new IntParam(this, "batchMaxPrompts", "most prompts prefilled in one call");
        batchMaxActiveRows = new IntParam(this, "batchMaxActiveRows", "rows decoding at once, 0 = the device's default");
        inputCol = new Param<>(this, "inputCol", "prompt text column");
        idCol = new Param<>(this, "idCol", "unique prompt id column (keys the random draws)");
        setDefault(dtype, "float32");
        setDefault(promptTruncate, "error");
        setDefault(batchMaxTokens, 65536);
        setDefault(batchMaxPrompts, 64);
        setDefault(batchMaxActiveRows, 0);
        setDefault(inputCol, Schemas.PROMPT);
        setDefault(idCol, Schemas.PROMPT_ID);
    }

    /** The Spark ML Param of a decode option: its name, doc and kind from the {@link DecodeOption} table. */
    @SuppressWarnings("unchecked")
    private Param<Object> newParam(DecodeOption option) {
        Param<?> param = switch (option.kind()) {
            case NUMBER_LIST -> new DoubleArrayParam(this, option.param(), option.doc());
            case INT -> new IntParam(this, option.param(), option.doc());
            case LONG -> new LongParam(this, option.param(), option.doc());
            case NUMBER -> new DoubleParam(this, option.param(), option.doc());
            case TEXT_LIST -> new StringArrayParam(this, option.param(), option.doc());
        };
        return (Param<Object>) param;
    }

    /** A transformer with every decoding setting of a job configuration. */
    public static DeraTransformer fromConfig(JobConfig config) {
        return new DeraTransformer()
                .setRefModel(config.refModel())
                .setAlignedModel(config.alignedModel())
                .setDtype(config.get("model.dtype"))
                .setDecodeSettings(config.decode())
                .setPromptTruncate(config.truncateLeft() ? "left" : "error")
                .setBatchMaxTokens(config.batchMaxTokens())
                .setBatchMaxPrompts(config.batchMaxPrompts())
                .setBatchMaxActiveRows(config.batchMaxActiveRows());
    }

    /** Sets every decode Param to its value in {@code settings}. */
    public DeraTransformer setDecodeSettings(DecodeSettings settings) {
        for (DecodeOption option : DecodeOption.values()) {
            setParam(decodeParam(option), option.valueIn(settings));
        }
        return this;
    }

    /** The decode settings the Params give, checked (one-line errors name each setting's job-config key). */
    public DecodeSettings getDecodeSettings() {
        return DecodeSettings.of(option -> $(decodeParam(option)));
    }

    @SuppressWarnings("unchecked")
    private <T extends Param<?>> T decodeParam(DecodeOption option) {
        return (T) decodeParams.get(option);
    }

    /** Reads a transformer saved with {@code write().save(path)}; Spark's Pipeline loader calls this too. */
    public static MLReader<DeraTransformer> read() {
        return new DefaultParamsReadable<DeraTransformer>() {}.read();
    }

    public static DeraTransformer load(String path) {
        return read().load(path);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType output = transformSchema(dataset.schema());
        TaskSettings settings = validate(dataset.sparkSession());
        DecodeCounters taskCounters = counters != null ? counters
                : DecodeCounters.register(dataset.sparkSession().sparkContext());
        List<String> inputColumns = Arrays.asList(dataset.schema().fieldNames());
        List<Column> columns = new ArrayList<>(List.of(Schemas.column(getIdCol()).as(Schemas.PROMPT_ID),
                Schemas.column(getInputCol()).as(Schemas.PROMPT),
                inputColumns.contains(PartitionDecoder.INPUT_ERROR) ? col(PartitionDecoder.INPUT_ERROR)
                        : lit(null).cast(DataTypes.StringType).as(PartitionDecoder.INPUT_ERROR)));
        for (StructField carried : carriedColumns(dataset.schema()).fields()) {
            columns.add(Schemas.column(carried.name()));
        }
        return dataset.select(columns.toArray(new Column[0]))
                .mapPartitions(new PartitionDecoder(settings, modelStamp(settings), taskCounters),
                        Encoders.row(output));
    }

    /**
     * Checks that the id and prompt columns exist and hold strings, and that no other input column has the name of
     * a generated one; the output is {@link Schemas#withCarried} of the input's other columns.
     */
    @Override
    public StructType transformSchema(StructType schema) {
        for (String column : List.of(getIdCol(), getInputCol())) {
            if (!Arrays.asList(schema.fieldNames()).contains(column)
                    || !schema.apply(column).dataType().equals(DataTypes.StringType)) {
                throw new IllegalArgumentException("DeraTransformer needs a string column \"" + column
                        + "\"; the input schema is " + schema.simpleString());
            }
        }
        StructType carried = carriedColumns(schema);
        for (String generated : Schemas.GENERATIONS.fieldNames()) {
            if (Arrays.asList(carried.fieldNames()).contains(generated)) {
                throw new IllegalArgumentException("DeraTransformer adds a column \"" + generated + "\", which the"
                        + " input already has; rename or drop that input column");
            }
        }
        return Schemas.withCarried(carried);
    }

    /**
     * The input columns the output carries: all but input_error and the id and prompt columns where they already
     * have the output's names.
     */
    private StructType carriedColumns(StructType input) {
        List<StructField> carried = new ArrayList<>();
        for (StructField field : input.fields()) {
            String name = field.name();
            boolean isOutputColumn = name.equals(Schemas.PROMPT_ID) && name.equals(getIdCol())
                    || name.equals(Schemas.PROMPT) && name.equals(getInputCol());
            if (!isOutputColumn && !name.equals(PartitionDecoder.INPUT_ERROR)) {
                carried.add(field);
            }
        }
        return new StructType(carried.toArray(new StructField[0]));
    }

    /** The models' stamp for the rows: the one the job set, else hashed here once per pair of model folders. */
    private ModelStamp modelStamp(TaskSettings settings) {
        List<String> models = List.of(settings.refModel(), settings.alignedModel());
        if (modelStamp == null || !stampedModels.equals(models)) {
            setModelStamp(ModelStamp.of(settings.refModel(), settings.alignedModel(), settings.hadoopConf()));
        }
        return modelStamp;
    }

    /** The stamp of the current model params, when the caller has hashed the folders already. */
    DeraTransformer setModelStamp(ModelStamp stamp) {
        modelStamp = stamp;
        stampedModels = List.of($(refModel), $(alignedModel));
        return this;
    }

    /** The executors' settings from the params, without the model folder checks of {@link #validate}. */
    TaskSettings settings(Map<String, String> hadoopConf) {
        if (!isDefined(refModel) || !isDefined(alignedModel)) {
            throw new IllegalArgumentException("DeraTransformer needs refModel and alignedModel");
        }
        String truncate = getPromptTruncate();
        if (!truncate.equals("error") && !truncate.equals("left")) {
            throw new IllegalArgumentException("promptTruncate must be error or left, got " + truncate);
        }
        return new TaskSettings(getRefModel(), getAlignedModel(), ComputeType.parse(getDtype()), getDecodeSettings(),
                truncate.equals("left"), getBatchMaxTokens(), getBatchMaxPrompts(), getBatchMaxActiveRows(), hadoopConf);
    }

    /**
     * Checks every param and both model folders ({@link ModelFolderCheck}: configs, safetensors headers, one shared
     * tokenizer), on the driver before any task; returns the settings the executors get. The folders are checked once
     * per settings: a job that transforms chunk after chunk with the same params reads their headers once.
     */
    public TaskSettings validate(SparkSession spark) {
        TaskSettings settings = settings(hadoopConf(spark));
        if (!settings.equals(checkedSettings)) {
            ModelFolderCheck.checkPair(ModelFiles.localizeHeaders(settings.refModel(), settings.hadoopConf()),
                    ModelFiles.localizeHeaders(settings.alignedModel(), settings.hadoopConf()));
            checkedSettings = settings;
        }
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
        copy.modelStamp = modelStamp;
        copy.stampedModels = stampedModels;
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
        return decodeParam(DecodeOption.LAMBDAS);
    }

    public IntParam samples() {
        return decodeParam(DecodeOption.SAMPLES);
    }

    public DoubleParam temperature() {
        return decodeParam(DecodeOption.TEMPERATURE);
    }

    public IntParam topK() {
        return decodeParam(DecodeOption.TOP_K);
    }

    public DoubleParam topP() {
        return decodeParam(DecodeOption.TOP_P);
    }

    public DoubleParam minP() {
        return decodeParam(DecodeOption.MIN_P);
    }

    public LongParam seed() {
        return decodeParam(DecodeOption.SEED);
    }

    public IntParam maxNewTokens() {
        return decodeParam(DecodeOption.MAX_NEW_TOKENS);
    }

    public StringArrayParam stopStrings() {
        return decodeParam(DecodeOption.STOP_STRINGS);
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

    public IntParam batchMaxActiveRows() {
        return batchMaxActiveRows;
    }

    public Param<String> inputCol() {
        return inputCol;
    }

    public Param<String> idCol() {
        return idCol;
    }

    public String getRefModel() {
        return $(refModel);
    }

    public String getAlignedModel() {
        return $(alignedModel);
    }

    public String getDtype() {
        return $(dtype);
    }

    public double[] getLambdas() {
        return $(lambdas());
    }

    public int getSamples() {
        return (Integer) $(samples());
    }

    public double getTemperature() {
        return (Double) $(temperature());
    }

    public int getTopK() {
        return (Integer) $(topK());
    }

    public double getTopP() {
        return (Double) $(topP());
    }

    public double getMinP() {
        return (Double) $(minP());
    }

    public long getSeed() {
        return (Long) $(seed());
    }

    public int getMaxNewTokens() {
        return (Integer) $(maxNewTokens());
    }

    public String[] getStopStrings() {
        return $(stopStrings());
    }

    public String getPromptTruncate() {
        return $(promptTruncate);
    }

    public int getBatchMaxTokens() {
        return (Integer) $(batchMaxTokens);
    }

    public int getBatchMaxPrompts() {
        return (Integer) $(batchMaxPrompts);
    }

    public int getBatchMaxActiveRows() {
        return (Integer) $(batchMaxActiveRows);
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
        return setParam(lambdas(), value);
    }

    public DeraTransformer setSamples(int value) {
        return setParam(samples(), value);
    }

    public DeraTransformer setTemperature(double value) {
        return setParam(temperature(), value);
    }

    public DeraTransformer setTopK(int value) {
        return setParam(topK(), value);
    }

    public DeraTransformer setTopP(double value) {
        return setParam(topP(), value);
    }

    public DeraTransformer setMinP(double value) {
        return setParam(minP(), value);
    }

    public DeraTransformer setSeed(long value) {
        return setParam(seed(), value);
    }

    public DeraTransformer setMaxNewTokens(int value) {
        return setParam(maxNewTokens(), value);
    }

    public DeraTransformer setStopStrings(String[] value) {
        return setParam(stopStrings(), value);
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

    public DeraTransformer setBatchMaxActiveRows(int value) {
        return setParam(batchMaxActiveRows, value);
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
