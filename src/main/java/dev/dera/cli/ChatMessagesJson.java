package dev.dera.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.dera.lm.ChatTemplate;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --messages} option: a JSON array of {@code {"role": ..., "content": ...}} objects. Text that is not
 * such an array is a usage error; a message without role or content is left for the chat template's checks, which
 * turn it into error rows as in the job.
 */
final class ChatMessagesJson {
    private ChatMessagesJson() {}

    static List<ChatTemplate.Message> parse(String json) {
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("--messages is not valid JSON: " + e.getMessage());
        }
        if (!root.isJsonArray()) {
            throw new IllegalArgumentException("--messages must be a JSON array of {\"role\", \"content\"} objects");
        }
        List<ChatTemplate.Message> messages = new ArrayList<>();
        for (JsonElement element : root.getAsJsonArray()) {
            if (element.isJsonNull()) {
                messages.add(null);
            } else if (element.isJsonObject()) {
                messages.add(new ChatTemplate.Message(text(element.getAsJsonObject(), "role"),
                        text(element.getAsJsonObject(), "content")));
            } else {
                throw new IllegalArgumentException("--messages must hold {\"role\", \"content\"} objects, got "
                        + element);
            }
        }
        return messages;
    }

    private static String text(JsonObject message, String key) {
        JsonElement value = message.get(key);
        return value == null || value.isJsonNull() ? null : value.getAsString();
    }
}
