package dev.dera.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.dera.testing.DeraVector;
import dev.dera.testing.ZooModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code dera decode --messages}: one conversation through the Qwen3 pair's real chat template. */
class ChatDecodeCommandTest {
    private static final Gson GSON = new Gson();

    @Test
    void theVectorsChatCaseDecodesFromItsMessages() {
        DeraVector chat = ZooModels.vectors("qwen3").stream().filter(v -> v.messages != null && v.lambda == 2)
                .findFirst().orElseThrow();
        String out = CompleteAndDecodeCommandTest.run(decode(GSON.toJson(chat.messages), "--lambdas", "2",
                "--max-new-tokens", String.valueOf(chat.max_new_tokens)));
        List<String> lines = out.lines().toList();
        assertEquals(1, lines.size(), out);
        JsonObject row = GSON.fromJson(lines.get(0), JsonObject.class);
        assertEquals(chat.chat_template_text, row.get("prompt").getAsString());
        assertArrayEquals(chat.prompt_ids, GSON.fromJson(row.get("prompt_ids"), int[].class));
        assertArrayEquals(chat.completion_ids, GSON.fromJson(row.get("completion_ids"), int[].class));
        assertEquals(chat.completion_text, row.get("completion_text").getAsString());
    }

    @Test
    void aMalformedConversationGivesErrorLinesAndBadJsonIsAUsageError() {
        String out = CompleteAndDecodeCommandTest.runExpecting(GenerateCommand.TOO_MANY_ERRORS,
                decode("[{\"role\": \"user\"}]", "--lambdas", "0,1"));
        List<String> lines = out.lines().toList();
        assertEquals(2, lines.size(), out);
        for (String line : lines) {
            JsonObject row = GSON.fromJson(line, JsonObject.class);
            assertEquals("error", row.get("finish_reason").getAsString());
            assertEquals("messages[0] (user) has no content", row.get("error").getAsString());
        }

        StringWriter err = new StringWriter();
        int status = DeraCli.commandLine().setErr(new PrintWriter(err)).execute(decode("[{\"role\": "));
        assertEquals(2, status);
        assertTrue(err.toString().startsWith("dera: --messages is not valid JSON"), err.toString());
    }

    private static String[] decode(String messages, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("decode", "--ref-model",
                ZooModels.reference("qwen3").toString(), "--aligned-model", ZooModels.aligned("qwen3").toString(),
                "--messages", messages));
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }
}
