package dev.dera.lm;

import com.google.gson.JsonObject;
import java.nio.file.Path;

/** A fingerprint of what a tokenizer.json maps text to: its model (vocabulary, merges) and its added tokens. */
public final class TokenizerIdentity {
    private TokenizerIdentity() {}

    /** SHA-256 of the tokenizer model and added tokens of {@code dir/tokenizer.json}. */
    public static String of(Path dir) {
        JsonObject json = JsonFiles.readObject(dir.resolve("tokenizer.json"));
        String content = String.valueOf(json.get("model")) + String.valueOf(json.get("added_tokens"));
        return Sha256.ofText(content);
    }
}
