package dev.dera.lm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dera.lm.safetensors.TensorDType;
import dev.dera.testing.ModelCopies;
import dev.dera.testing.SharedModels;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** stories260K stored as F16 and BF16 loads and gives the float32 model's logits within those formats' precision. */
class StoredDtypesTest {

    @ParameterizedTest(name = "{0} within {1}")
    // Bounds on |logit| error after 5 layers: F16 keeps 11 significant bits per weight, BF16 only 8.
    @CsvSource({"F16, 0.05", "BF16, 0.25"})
    void halfPrecisionCopiesGiveCloseLogits(TensorDType dtype, double tolerance) {
        Path source = SharedModels.reference();
        Path copy = ModelCopies.copy(source, dtype, weights -> { });
        try (LanguageModel original = LanguageModel.load(source);
                LanguageModel converted = LanguageModel.load(copy);
                TextTokenizer tokenizer = TextTokenizer.load(source, original.config(), original.generation())) {
            int[] prompt = tokenizer.encode("Once upon a time, there was a little girl named Lily.");
            double deviation = maxLogitDeviation(original, converted, prompt);
            assertTrue(deviation > 0, "the " + dtype + " copy should not be bit-identical");
            assertTrue(deviation <= tolerance, dtype + " deviation " + deviation);
        }
    }

    private static double maxLogitDeviation(LanguageModel a, LanguageModel b, int[] prompt) {
        try (NDManager manager = NDManager.newBaseManager();
                KvCache cacheA = a.newCache(manager, 1, prompt.length);
                KvCache cacheB = b.newCache(manager, 1, prompt.length)) {
            long[] ids = Arrays.stream(prompt).asLongStream().toArray();
            long[] mask = new long[ids.length];
            Arrays.fill(mask, 1);
            NDArray idArray = manager.create(ids).expandDims(0);
            NDArray maskArray = manager.create(mask).expandDims(0);
            NDArray logitsA = a.prefillAllLogits(idArray, maskArray, cacheA, manager);
            NDArray logitsB = b.prefillAllLogits(idArray, maskArray, cacheB, manager);
            return ForwardChecks.maxAbsDiff(logitsA, logitsB);
        }
    }
}
