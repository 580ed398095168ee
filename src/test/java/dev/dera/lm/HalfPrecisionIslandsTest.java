package dev.dera.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dera.testing.SharedModels;
import org.junit.jupiter.api.Test;

/**
 * Under float16 compute, the parts that overflow or lose precision in half precision run in float32: the norms'
 * mean square, and the logits the model hands to the mix, the sampler and the log-probabilities.
 */
class HalfPrecisionIslandsTest {

    @Test
    void rmsNormOfFloat16ValuesWhoseSquaresOverflowFloat16IsExact() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            float[] values = {1000f, -2000f, 3000f, 500f}; // squares up to 9e6, far beyond float16's 65504
            NDArray x = manager.create(values, new Shape(1, 4)).toType(DataType.FLOAT16, false);
            NDArray weight = manager.ones(new Shape(4)).toType(DataType.FLOAT16, false);
            RmsNorm norm = RmsNorm.load(name -> weight, "w", 1e-6);

            NDArray out = norm.apply(x);

            assertEquals(DataType.FLOAT16, out.getDataType(), "the result returns to the compute type");
            double meanSquare = 0;
            for (float v : values) {
                meanSquare += (double) v * v / values.length;
            }
            float[] actual = out.toType(DataType.FLOAT32, false).toFloatArray();
            for (int i = 0; i < values.length; i++) {
                double expected = values[i] / Math.sqrt(meanSquare + 1e-6);
                assertEquals(expected, actual[i], 2e-3, "element " + i); // float16 holds ~3 decimal digits
            }
        }
    }

    @Test
    void aFloat16ModelHandsFloat32LogitsCloseToTheFloat32ModelsToTheMix() {
        try (LanguageModel half = LanguageModel.load(SharedModels.reference(), Device.cpu(), ComputeType.FLOAT16);
                LanguageModel full = LanguageModel.load(SharedModels.reference(), Device.cpu(), ComputeType.FLOAT32);
                NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            long[] prompt = {1, 403, 407, 261, 378}; // "Once upon a time" (models/README.md)
            NDArray ids = manager.create(prompt, new Shape(1, prompt.length));
            NDArray mask = manager.ones(new Shape(1, prompt.length), DataType.INT64);

            NDArray halfLogits = half.prefill(ids, mask, half.newCache(manager, 1, 16), manager);
            NDArray fullLogits = full.prefill(ids, mask, full.newCache(manager, 1, 16), manager);

            assertEquals(DataType.FLOAT32, halfLogits.getDataType());
            float[] halfLogProbs = halfLogits.logSoftmax(-1).toFloatArray();
            float[] fullLogProbs = fullLogits.logSoftmax(-1).toFloatArray();
            float worst = 0;
            for (int v = 0; v < fullLogProbs.length; v++) {
                assertTrue(Float.isFinite(halfLogProbs[v]), "token " + v);
                worst = Math.max(worst, Math.abs(halfLogProbs[v] - fullLogProbs[v]));
            }
            assertTrue(worst < 0.1f, "largest log-probability difference " + worst);
        }
    }
}
