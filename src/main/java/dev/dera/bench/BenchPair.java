package dev.dera.bench;

import ai.djl.Device;
import dev.dera.decode.ModelPair;
import dev.dera.lm.ComputeType;
import dev.dera.lm.LanguageModel;
import java.nio.file.Path;

/**
 * A model pair as the decoder loads it (stacked when it can be) and its reference model loaded alone, for the
 * single-model side of the ratios.
 */
record BenchPair(ModelPair pair, LanguageModel single) implements AutoCloseable {

    static BenchPair load(Path reference, Path aligned, Device device) {
        ModelPair pair = ModelPair.load(reference, aligned, device, ComputeType.FLOAT32);
        try {
            return new BenchPair(pair, LanguageModel.load(reference, device, ComputeType.FLOAT32));
        } catch (RuntimeException e) {
            pair.close();
            throw e;
        }
    }

    @Override
    public void close() {
        single.close();
        pair.close();
    }
}
