package dev.dera.spark;

import static dev.dera.spark.GenerationOutputs.key;
import static dev.dera.spark.GenerationOutputs.promptLine;
import static dev.dera.spark.GenerationOutputs.rowsByKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.dera.cli.DeraCli;
import dev.dera.testing.DeraVector;
import dev.dera.testing.ZooModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dera generate} with a {@code messages} input column on the Qwen3 zoo pair: the chat case of the vectors
 * decodes from its conversation exactly as from its rendered text, beside a plain prompt, and malformed rows become
 * error rows.
 */
class ChatGenerateTest {
    private static final Gson GSON = new Gson();

    @TempDir
    Path dir;

    @Test
    void chatRowsDecodeAsTheVectorsChatCaseAndMalformedRowsBecomeErrorRows() throws IOException {
        List<DeraVector> vectors = ZooModels.vectors("qwen3");
        DeraVector chat = vectors.stream().filter(v -> v.messages != null).findFirst().orElseThrow();
        DeraVector plain = vectors.get(0);
        Path input = dir.resolve("prompts.jsonl");
        Files.write(input, List.of(
                "{\"prompt_id\": \"chat\", \"messages\": " + GSON.toJson(chat.messages) + "}",
                promptLine("plain", plain.prompt),
                "{\"prompt_id\": \"no-content\", \"messages\": [{\"role\": \"user\"}]}",
                "{\"prompt_id\": \"null-message\", \"messages\": [null]}",
                "{\"prompt_id\": \"both\", \"prompt\": \"x\", \"messages\": [{\"role\": \"user\", \"content\": \"y\"}]}",
                "{\"prompt_id\": \"neither\"}"));
        Path out = dir.resolve("out");
        generate(input, out, "--lambdas", "0,1,2", "--max-new-tokens", "24", "--set", "errors.max_fraction=1");

        try (SparkSession spark = session()) {
            Map<String, Row> rows = rowsByKey(spark, out);
            assertEquals(6 * 3, rows.size());
            for (DeraVector v : vectors) {
                if (v.messages != null) {
                    assertMatches(v, rows.get(key("chat", v.lambda, 0)));
                } else if (v.prompt.equals(plain.prompt)) {
                    assertMatches(v, rows.get(key("plain", v.lambda, 0)));
                }
            }
            assertError(rows, "no-content", "messages[0] (user) has no content");
            assertError(rows, "null-message", "messages[0] is null");
            assertError(rows, "both", "row has both prompt and messages; give exactly one");
            assertError(rows, "neither", "row has neither prompt nor messages");
        }
    }

    @Test
    void parquetInputWithOnlyAMessagesColumn() {
        DeraVector chat = ZooModels.vectors("qwen3").stream().filter(v -> v.messages != null && v.lambda == 1)
                .findFirst().orElseThrow();
        List<Row> conversation = new ArrayList<>();
        for (DeraVector.Message m : chat.messages) {
            conversation.add(RowFactory.create(m.role, m.content));
        }
        StructType schema = new StructType().add(Schemas.PROMPT_ID, DataTypes.StringType)
                .add(Schemas.MESSAGES, Schemas.MESSAGES_TYPE);
        Path input = dir.resolve("chat.parquet");
        try (SparkSession spark = session()) {
            spark.createDataFrame(List.of(RowFactory.create("chat", conversation),
                    RowFactory.create("no-role", List.of(RowFactory.create(null, "hi")))), schema)
                    .write().parquet(input.toString());
        }
        Path out = dir.resolve("out");
        generate(input, out, "--lambdas", "1", "--max-new-tokens", "24", "--set", "errors.max_fraction=1");
        try (SparkSession spark = session()) {
            Map<String, Row> rows = rowsByKey(spark, out);
            assertMatches(chat, rows.get(key("chat", 1.0, 0)));
            assertEquals("messages[0] has no role", rows.get(key("no-role", 1.0, 0)).getAs("error"));
        }
    }

    @Test
    void templatesThatRenderDifferentIdsFailBeforeAnyTask() throws IOException {
        Path aligned = dir.resolve("aligned");
        Files.createDirectories(aligned);
        Path source = ZooModels.aligned("qwen3");
        for (String file : List.of("config.json", "generation_config.json", "tokenizer.json",
                "special_tokens_map.json", "model.safetensors")) {
            Files.copy(source.resolve(file), aligned.resolve(file));
        }
        JsonObject config = JsonParser.parseString(Files.readString(source.resolve("tokenizer_config.json")))
                .getAsJsonObject();
        config.addProperty("chat_template", "{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}");
        Files.writeString(aligned.resolve("tokenizer_config.json"), config.toString());
        Path input = dir.resolve("chat.jsonl");
        Files.writeString(input, "{\"prompt_id\": \"c\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}\n");
        StringWriter err = new StringWriter();
        Path out = dir.resolve("out");
        int status = DeraCli.commandLine().setErr(new PrintWriter(err)).execute("generate", "--ref-model",
                ZooModels.reference("qwen3").toString(), "--aligned-model", aligned.toString(), "--input",
                input.toString(), "--output", out.toString(), "--master", "local[1]", "--set", "spark.ui.enabled=false");
        assertEquals(2, status, err.toString());
        assertTrue(err.toString().contains("chat templates render a conversation to different token ids"),
                err.toString());
        assertFalse(Files.exists(out), "nothing is written");

        StringWriter noFile = new StringWriter();
        status = DeraCli.commandLine().setErr(new PrintWriter(noFile)).execute("generate", "--ref-model",
                ZooModels.reference("qwen3").toString(), "--aligned-model", aligned.toString(), "--input",
                input.toString(), "--output", out.toString(), "--chat-template", dir.resolve("none.jinja").toString());
        assertEquals(2, status, noFile.toString());
        assertTrue(noFile.toString().contains("prompt.chat_template: no file " + dir.resolve("none.jinja")),
                noFile.toString());
    }

    /** Ids exact, log-probabilities within 1e-3, KL within 1%, as the zoo README asks. */
    private static void assertMatches(DeraVector v, Row row) {
        int[] ids = row.getList(row.fieldIndex("completion_ids")).stream().mapToInt(i -> (Integer) i).toArray();
        assertArrayEquals(v.completion_ids, ids, v.toString());
        List<Object> logprobs = new ArrayList<>(row.getList(row.fieldIndex("token_logprobs")));
        for (int i = 0; i < v.token_logprobs.length; i++) {
            assertEquals(v.token_logprobs[i], ((Float) logprobs.get(i)).doubleValue(), 1e-3, v + " token " + i);
        }
        assertEquals(v.prompt_ids.length, (int) row.getAs("prompt_token_count"), v.toString());
        assertEquals(v.completion_text, row.getAs("completion_text"), v.toString());
        assertEquals(v.kl_to_ref, (double) row.getAs("kl_to_ref"), Math.max(1e-3, 0.01 * v.kl_to_ref), v.toString());
    }

    private static void assertError(Map<String, Row> rows, String promptId, String message) {
        for (double lambda : new double[] {0, 1, 2}) {
            Row row = rows.get(key(promptId, lambda, 0));
            assertEquals("error", row.getAs("finish_reason"), promptId);
            assertEquals(message, row.getAs("error"), promptId);
        }
    }

    private static void generate(Path input, Path out, String... options) {
        List<String> args = new ArrayList<>(List.of("generate", "--ref-model", ZooModels.reference("qwen3").toString(),
                "--aligned-model", ZooModels.aligned("qwen3").toString(), "--input", input.toString(), "--output",
                out.toString(), "--master", "local[2]", "--set", "spark.ui.enabled=false", "--set",
                "spark.sql.shuffle.partitions=2"));
        args.addAll(List.of(options));
        StringWriter err = new StringWriter();
        int status = DeraCli.commandLine().setErr(new PrintWriter(err)).execute(args.toArray(new String[0]));
        assertEquals(0, status, err.toString());
    }

    private static SparkSession session() {
        return SparkSession.builder().master("local[1]").appName("ChatGenerateTest")
                .config("spark.ui.enabled", "false").getOrCreate();
    }
}
