package dev.dera.lm;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Token ids from generation_config.json (falling back to config.json): the ids that end a generation and the BOS id.
 *
 * @param eosTokenIds every id that ends a generation (generation_config.json may list several)
 * @param bosTokenId the beginning-of-sequence id, or -1 when the model declares none
 */
public record GenerationConfig(Set<Integer> eosTokenIds, int bosTokenId) {

    public GenerationConfig {
        eosTokenIds = Set.copyOf(eosTokenIds);
    }

    /** Reads generation_config.json where present, else the ids in config.json. */
    public static GenerationConfig load(Path dir) {
        Path configFile = dir.resolve(ModelConfig.FILE_NAME);
        Path generationFile = dir.resolve("generation_config.json");
        JsonObject config = JsonFiles.readObject(configFile);
        JsonObject generation = JsonFiles.readOptionalObject(generationFile).orElseGet(JsonObject::new);
        List<Integer> eos = JsonFiles.intList(generation, "eos_token_id", generationFile);
        if (eos.isEmpty()) {
            eos = JsonFiles.intList(config, "eos_token_id", configFile);
        }
        int bos = JsonFiles.intOr(generation, "bos_token_id", JsonFiles.intOr(config, "bos_token_id", -1, configFile),
                generationFile);
        return new GenerationConfig(new LinkedHashSet<>(eos), bos);
    }
}
