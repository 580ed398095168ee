package dev.dera.lm;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import dev.dera.lm.safetensors.TensorDType;
import dev.dera.testing.ModelCopies;
import dev.dera.testing.SharedModels;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** float16 compute narrows F32 and BF16 weights only when they fit: a value beyond 65504 is refused, not made inf. */
class Float16RangeTest {

    @Test
    void aBf16WeightBeyondFloat16sRangeIsRefusedWithTheTensorNamed() {
        Path copy = ModelCopies.copy(SharedModels.reference(), TensorDType.BF16, Float16RangeTest::oneHugeWeight);
        ModelConfigException error = assertThrows(ModelConfigException.class,
                () -> LanguageModel.load(copy, Device.cpu(), ComputeType.FLOAT16).close());
        assertEquals("tensor model.norm.weight has a value of magnitude 131072.0, beyond float16's range"
                + " (+-65504.0): load it with model.dtype = float32", error.getMessage());
        LanguageModel.load(copy, Device.cpu(), ComputeType.FLOAT32).close();
    }

    @Test
    void bf16WeightsWithinRangeLoadInFloat16() {
        Path copy = ModelCopies.copy(SharedModels.reference(), TensorDType.BF16, weights -> { });
        assertDoesNotThrow(() -> LanguageModel.load(copy, Device.cpu(), ComputeType.FLOAT16).close());
    }

    private static void oneHugeWeight(Map<String, float[]> weights) {
        weights.get("model.norm.weight")[3] = -131072f;
    }
}
