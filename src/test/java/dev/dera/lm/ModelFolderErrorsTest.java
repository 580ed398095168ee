package dev.dera.lm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.dera.lm.safetensors.SafetensorsException;
import dev.dera.lm.safetensors.TensorDType;
import dev.dera.testing.ModelCopies;
import dev.dera.testing.SharedModels;
import dev.dera.testing.ZooModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Folders the loader cannot use fail on load with a message that says what is wrong and what is supported. */
class ModelFolderErrorsTest {
    @Test
    void unsupportedArchitectureNamesTheSupportedOnes() {
        String message = loadFailure(c -> c.getAsJsonArray("architectures").set(0,
                JsonParser.parseString("\"MambaForCausalLM\"")));
        assertTrue(message.contains("unsupported architecture MambaForCausalLM")
                && message.contains("LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM, Qwen3ForCausalLM,"
                        + " Gemma2ForCausalLM, Phi3ForCausalLM, Olmo2ForCausalLM, GPT2LMHeadModel"), message);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"yarn", "longrope", "dynamic"})
    void unsupportedRopeScalingIsOneLineNamingItAndTheSupportedTypes(String type) {
        String message = loadFailure(ZooModels.reference("phi3"), c -> c.add("rope_scaling",
                JsonParser.parseString("{\"rope_type\": \"" + type + "\", \"factor\": 4.0}")));
        assertTrue(message.contains("rope_scaling type \"" + type + "\"")
                && message.endsWith("supported: none, default, linear, llama3"), message);
        assertFalse(message.contains("\n"), message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "qwen3 | use_sliding_window | true | use_sliding_window=true is not supported",
        "gpt2 | scale_attn_by_inverse_layer_idx | true | scale_attn_by_inverse_layer_idx=true is not supported",
        "gemma2 | hidden_activation | \"gelu\" | hidden_activation \"gelu\" is not supported",
        "olmo2 | hidden_act | \"relu\" | hidden_act \"relu\" is not supported",
        "llama | quantization_config | {\"quant_method\": \"gptq\"} | quantization_config) are not supported",
        "gemma2 | layer_types | [\"chunked_attention\", \"full_attention\", \"full_attention\"]"
                + " | layer_types entry \"chunked_attention\" is not supported"})
    void unsupportedFeaturesFailAtLoadNamingThem(String family, String key, String json, String expected) {
        String message = loadFailure(ZooModels.reference(family), c -> c.add(key, JsonParser.parseString(json)));
        assertTrue(message.contains(expected), message);
        assertFalse(message.contains("\n"), message);
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
    void missingFieldIsNamed() {
        String message = loadFailure(c -> c.remove("hidden_size"));
        assertTrue(message.contains("\"hidden_size\""), message);
    }

    @Test
    void configThatDisagreesWithTheWeightsNamesTheTensor() {
        String message = loadFailure(c -> c.addProperty("intermediate_size", 128));
        assertTrue(message.contains("model.layers.0.mlp.gate_proj.weight") && message.contains("[172, 64]"), message);
    }

    @Test
    void anUntiedConfigWithoutLmHeadNamesTheMissingTensor() {
        Path copy = ModelCopies.withEditedConfig(SharedModels.reference(),
                c -> c.addProperty("tie_word_embeddings", false));
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> LanguageModel.load(copy).close());
        assertTrue(e.getMessage().contains("lm_head.weight"), e.getMessage());
    }

    @Test
    void tokenizerLargerThanTheVocabularyIsRefused() {
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

    private String loadFailure(Consumer<JsonObject> edit) {
        return loadFailure(SharedModels.reference(), edit);
    }

    private static String loadFailure(Path source, Consumer<JsonObject> edit) {
        Path copy = ModelCopies.withEditedConfig(source, edit);
        return assertThrows(ModelConfigException.class, () -> LanguageModel.load(copy).close()).getMessage();
    }
}
