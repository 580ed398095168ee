package dev.dera.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dera.testing.DeraVector;
import dev.dera.testing.SharedModels;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real tokenizers against the expected decodes: every vector's prompt encodes to its prompt_ids, and its
 * completion_ids decode to its completion_text as Hugging Face's decode reads them, multi-byte characters split
 * over byte tokens included. No model is run.
 */
class TextTokenizerTest {
    static Stream<Arguments> vectorFiles() {
        Path zoo = SharedModels.zoo();
        return Stream.of(
                Arguments.of(SharedModels.reference(), SharedModels.root().resolve("vectors/stories260K-dera-greedy.jsonl")),
                zooCase("llama", "reference"), zooCase("llama", "reference-bf16"), zooCase("qwen3", "reference"),
                zooCase("gemma2", "reference"), zooCase("phi3", "reference"), zooCase("gpt2", "reference"),
                zooCase("olmo2", "reference"));
    }

    private static Arguments zooCase(String family, String folder) {
        String vectors = family + (folder.endsWith("-bf16") ? "-bf16" : "") + "-dera-greedy.jsonl";
        return Arguments.of(SharedModels.zoo().resolve(family).resolve(folder),
                SharedModels.zoo().resolve("vectors").resolve(vectors));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("vectorFiles")
    void decodesEveryCompletionAsHuggingFaceDoes(Path modelDir, Path vectorFile) {
        List<DeraVector> vectors = SharedModels.vectors(vectorFile);
        try (TextTokenizer tokenizer = TextTokenizer.load(modelDir, GenerationConfig.load(modelDir))) {
            for (DeraVector vector : vectors) {
                if (vector.messages == null) {
                    assertArrayEquals(vector.prompt_ids, tokenizer.encode(vector.prompt), vector.toString());
                }
                assertEquals(vector.completion_text, tokenizer.decodeCompletion(vector.prompt_ids,
                        vector.completion_ids), vector.toString());
            }
        }
    }
}
