package dev.dera.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.dera.testing.DeraVector;
import dev.dera.testing.SharedModels;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The model reproduces the independent float64 decodes of stories260K and its perturbed sibling. */
class StoriesConformanceTest {
    private static final double LOGPROB_TOLERANCE = 1e-4;

    private static LanguageModel reference;
    private static LanguageModel aligned;
    private static TextTokenizer tokenizer;

    @BeforeAll
    static void load() {
        reference = LanguageModel.load(SharedModels.reference());
        aligned = LanguageModel.load(SharedModels.aligned());
        tokenizer = TextTokenizer.load(SharedModels.reference(), reference.config(), reference.generation());
    }

    @AfterAll
    static void close() {
        tokenizer.close();
        reference.close();
        aligned.close();
    }

    static Stream<DeraVector> referenceCases() {
        return SharedModels.greedyVectors().stream().filter(v -> v.lambda == 0.0);
    }

    static Stream<DeraVector> alignedCases() {
        return SharedModels.greedyVectors().stream().filter(v -> v.lambda == 1.0);
    }

    @Test
    void vectorsCoverTheLongDecode() {
        List<DeraVector> references = referenceCases().toList();
        assertFalse(references.isEmpty());
        assertEquals(200, references.stream().mapToInt(v -> v.max_new_tokens).max().orElse(0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("referenceCases")
    void referenceModelAloneReproducesLambdaZero(DeraVector expected) {
        assertArrayEquals(expected.prompt_ids, tokenizer.encode(expected.prompt), "prompt ids");
        GreedyCompletion actual = GreedyCompletion.run(reference, expected.prompt_ids, expected.max_new_tokens);
        assertArrayEquals(expected.completion_ids, actual.completionIds(), "completion ids");
        assertClose(expected.ref_token_logprobs, actual.tokenLogprobs());
        assertEquals(expected.finish_reason, actual.finishReason());
        assertEquals(expected.completion_text, tokenizer.decodeCompletion(expected.prompt_ids, actual.completionIds()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("alignedCases")
    void untiedPerturbedModelAloneReproducesLambdaOne(DeraVector expected) {
        GreedyCompletion actual = GreedyCompletion.run(aligned, expected.prompt_ids, expected.max_new_tokens);
        assertArrayEquals(expected.completion_ids, actual.completionIds(), "completion ids");
        assertClose(expected.aligned_token_logprobs, actual.tokenLogprobs());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.dera.testing.SharedModels#greedyVectors")
    void tokenizerEncodesEveryVectorPrompt(DeraVector expected) {
        assertArrayEquals(expected.prompt_ids, tokenizer.encode(expected.prompt));
    }

    private static void assertClose(double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, "token count");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], LOGPROB_TOLERANCE, "log-prob of token " + i);
        }
    }
}
