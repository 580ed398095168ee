package dev.dera.lm;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.dera.lm.safetensors.SafetensorsException;
import dev.dera.lm.safetensors.TensorDType;
import dev.dera.testing.ModelCopies;
import dev.dera.testing.SharedModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Folders the loader cannot use fail on load with a message that says what is wrong and what is supported. */
class ModelFolderErrorsTest {
    @Test
    void unsupportedArchitectureNamesTheSupportedOnes() throws IOException {
        String message = loadFailure(c -> c.getAsJsonArray("architectures").set(0,
                JsonParser.parseString("\"GPT2LMHeadModel\"")));
        assertTrue(message.contains("unsupported architecture GPT2LMHeadModel")
                && message.contains("LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM"), message);
    }

    @Test
    void unsupportedRopeScalingNamesTheSupportedTypes() throws IOException {
        String message = loadFailure(c -> c.add("rope_scaling",
                JsonParser.parseString("{\"rope_type\": \"yarn\", \"factor\": 4.0}")));
        assertTrue(message.contains("rope_scaling type \"yarn\"") && message.contains("default, linear"), message);
    }

    @Test
    void aMissingFolderOrFileIsNamed() throws IOException {
        Path absent = Files.createTempDirectory("no-model").resolve("absent");
        ModelConfigException folder = assertThrows(ModelConfigException.class, () -> LanguageModel.load(absent));
        assertTrue(folder.getMessage().equals("model folder " + absent + " does not exist"), folder.getMessage());

        Path copy = ModelCopies.copy(SharedModels.reference(), TensorDType.F32, weights -> { });
        Files.delete(copy.resolve("config.json"));
        ModelConfigException file = assertThrows(ModelConfigException.class, () -> LanguageModel.load(copy));
        assertTrue(file.getMessage().equals("missing config.json in " + copy), file.getMessage());
    }

    @Test
    void missingFieldIsNamed() throws IOException {
        String message = loadFailure(c -> c.remove("hidden_size"));
        assertTrue(message.contains("\"hidden_size\""), message);
    }

    @Test
    void configThatDisagreesWithTheWeightsNamesTheTensor() throws IOException {
        String message = loadFailure(c -> c.addProperty("intermediate_size", 128));
        assertTrue(message.contains("model.layers.0.mlp.gate_proj.weight") && message.contains("[172, 64]"), message);
    }

    @Test
    void anUntiedConfigWithoutLmHeadNamesTheMissingTensor() {
        Path copy = ModelCopies.copy(SharedModels.reference(), TensorDType.F32, weights -> { });
        rewriteConfig(copy, c -> c.addProperty("tie_word_embeddings", false));
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> LanguageModel.load(copy).close());
        assertTrue(e.getMessage().contains("lm_head.weight"), e.getMessage());
    }

    @Test
    void tokenizerLargerThanTheVocabularyIsRefused() throws IOException {
        Path copy = ModelCopies.copy(SharedModels.reference(), TensorDType.F32, weights -> { });
        ModelConfig small = ModelConfig.load(copy);
        ModelConfig config = new ModelConfig(small.architecture(), small.hiddenSize(), small.intermediateSize(),
                small.numLayers(), small.numHeads(), small.numKvHeads(), small.headDim(), 256, small.maxPositions(),
                small.normEps(), small.rope().theta(), 1.0, true, false, 0);
        ModelConfigException e = assertThrows(ModelConfigException.class,
                () -> TextTokenizer.load(copy, config, GenerationConfig.load(copy)));
        assertTrue(e.getMessage().contains("512 tokens") && e.getMessage().contains("vocab_size is 256"),
                e.getMessage());
    }

    private String loadFailure(Consumer<JsonObject> edit) throws IOException {
        Path copy = ModelCopies.copy(SharedModels.reference(), TensorDType.F32, weights -> { });
        rewriteConfig(copy, edit);
        return assertThrows(ModelConfigException.class, () -> LanguageModel.load(copy).close()).getMessage();
    }

    private static void rewriteConfig(Path folder, Consumer<JsonObject> edit) {
        try {
            Path file = folder.resolve("config.json");
            JsonObject config = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            edit.accept(config);
            Files.writeString(file, config.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
