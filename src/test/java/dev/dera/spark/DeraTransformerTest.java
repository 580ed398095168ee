package dev.dera.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dera.testing.SharedModels;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DeraTransformer as a Spark ML stage: saved and loaded in a Pipeline, input columns kept, a getter per Param. */
class DeraTransformerTest {
    private static final StructType MESSAGE = new StructType()
            .add("role", DataTypes.StringType).add("content", DataTypes.StringType);
    private static final StructType INPUT = new StructType()
            .add("id", DataTypes.StringType)
            .add("label", DataTypes.IntegerType)
            .add("text", DataTypes.StringType)
            .add("messages", DataTypes.createArrayType(MESSAGE));
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        spark = GenerationOutputs.localSpark("DeraTransformerTest");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void aSavedPipelineLoadsWithEveryParamAndTransformsTheSameRows() throws IOException {
        DeraTransformer transformer = transformer();
        Dataset<Row> input = input();
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {transformer});
        String pipelinePath = dir.resolve("pipeline").toString();
        pipeline.save(pipelinePath);
        PipelineStage loadedStage = Pipeline.load(pipelinePath).getStages()[0];
        assertSameParams(transformer, assertInstanceOf(DeraTransformer.class, loadedStage));

        String modelPath = dir.resolve("model").toString();
        pipeline.fit(input).save(modelPath);
        PipelineModel loaded = PipelineModel.load(modelPath);
        DeraTransformer loadedTransformer = assertInstanceOf(DeraTransformer.class, loaded.stages()[0]);
        assertEquals(transformer.uid(), loadedTransformer.uid());
        assertSameParams(transformer, loadedTransformer);

        Map<String, Row> before = byKey(transformer.transform(input));
        Map<String, Row> after = byKey(loaded.transform(input));
        assertEquals(2 * 2 * 2, after.size());
        GenerationOutputs.assertSameRows(before, after);
    }

    @Test
    void inputColumnsAreKeptAndGeneratedColumnsAdded() {
        DeraTransformer transformer = transformer();
        Dataset<Row> output = transformer.transform(input());

        List<String> expected = new ArrayList<>(List.of(Schemas.GENERATIONS.fieldNames()));
        expected.addAll(List.of(INPUT.fieldNames()));
        assertEquals(expected, List.of(output.schema().fieldNames()));
        assertEquals(transformer.transformSchema(INPUT), output.schema());
        for (Row row : output.collectAsList()) {
            assertEquals((String) row.getAs("id"), row.getAs("prompt_id"));
            assertEquals((String) row.getAs("text"), row.getAs("prompt"));
            assertEquals(row.<String>getAs("id").equals("q1") ? 7 : 8, (int) row.getAs("label"));
            Row message = row.<Row>getList(row.fieldIndex("messages")).get(0);
            assertEquals("user", message.getAs("role"));
            assertEquals((String) row.getAs("text"), message.getAs("content"));
            assertEquals(4, row.getList(row.fieldIndex("completion_ids")).size());
            assertEquals("stories260K", row.getAs("ref_model"));
            assertEquals(ModelStamp.PREFIX, row.<String>getAs("aligned_model_sha256").length());
        }

        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class,
                () -> transformer.transformSchema(INPUT.add("seed", DataTypes.LongType)));
        assertTrue(clash.getMessage().contains("\"seed\""), clash.getMessage());
        IllegalArgumentException idClash = assertThrows(IllegalArgumentException.class,
                () -> transformer.transformSchema(INPUT.add("prompt_id", DataTypes.StringType)));
        assertTrue(idClash.getMessage().contains("\"prompt_id\""), idClash.getMessage());
    }

    @Test
    void everyParamHasAGetterReturningItsValue() throws ReflectiveOperationException {
        Map<String, String> values = new HashMap<>(Map.of(
                "model.ref", "/models/ref", "model.aligned", "/models/aligned", "model.dtype", "float16",
                "input.path", "in.jsonl", "output.path", "out",
                "decode.lambdas", "0.25,3", "decode.samples", "3", "decode.seed", "11",
                "decode.max_new_tokens", "9", "sampling.temperature", "0.7"));
        values.putAll(Map.of("sampling.top_k", "5", "sampling.top_p", "0.8", "sampling.min_p", "0.05",
                "stop.strings", "[\"x\"]", "prompt.truncate", "left", "batch.max_tokens", "1000",
                "batch.max_prompts", "3"));
        DeraTransformer transformer = DeraTransformer.fromConfig(JobConfig.resolve(values))
                .setIdCol("key").setInputCol("question");
        for (Param<?> param : transformer.params()) {
            assertTrue(transformer.isSet(param), param.name() + " is set, so its getter cannot return a default");
            Method getter = DeraTransformer.class.getMethod("get" + Character.toUpperCase(param.name().charAt(0))
                    + param.name().substring(1));
            assertTrue(Objects.deepEquals(transformer.getOrDefault(param), getter.invoke(transformer)), param.name());
        }
        assertArrayEquals(new double[] {0.25, 3}, transformer.getLambdas());
        assertEquals(0.05, transformer.getMinP());
        assertEquals("left", transformer.getPromptTruncate());
        assertEquals("question", transformer.getInputCol());
    }

    private static DeraTransformer transformer() {
        return new DeraTransformer()
                .setRefModel(SharedModels.reference().toString())
                .setAlignedModel(SharedModels.aligned().toString())
                .setLambdas(new double[] {0, 1.5})
                .setSamples(2)
                .setTemperature(1)
                .setSeed(3)
                .setMaxNewTokens(4)
                .setIdCol("id")
                .setInputCol("text");
    }

    private static Dataset<Row> input() {
        return spark.createDataFrame(List.of(
                RowFactory.create("q1", 7, "Once upon a time", List.of(RowFactory.create("user", "Once upon a time"))),
                RowFactory.create("q2", 8, "The dog", List.of(RowFactory.create("user", "The dog")))), INPUT);
    }

    private static Map<String, Row> byKey(Dataset<Row> rows) {
        Map<String, Row> byKey = new HashMap<>();
        for (Row row : rows.collectAsList()) {
            assertEquals(null, byKey.put(GenerationOutputs.key(row), row));
        }
        return byKey;
    }

    private static void assertSameParams(DeraTransformer expected, DeraTransformer actual) {
        for (Param<?> param : expected.params()) {
            Param<Object> loaded = actual.getParam(param.name());
            assertEquals(expected.isSet(param), actual.isSet(loaded), param.name());
            assertTrue(Objects.deepEquals(expected.getOrDefault(param), actual.getOrDefault(loaded)), param.name());
        }
        assertNotEquals(0, expected.params().length);
    }
}
