package dev.dera.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dera.testing.DeraVector;
import dev.dera.testing.SharedModels;
import dev.dera.testing.ZooModels;
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
        return Stream.concat(
                Stream.of(Arguments.of(SharedModels.reference(), "stories260K", SharedModels.greedyVectors())),
                ZooModels.vectorNames().stream()
                        .map(name -> Arguments.of(ZooModels.reference(name), name, ZooModels.vectors(name))));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("vectorFiles")
    void decodesEveryCompletionAsHuggingFaceDoes(Path modelDir, String name, List<DeraVector> vectors) {
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
