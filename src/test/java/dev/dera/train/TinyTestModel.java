package dev.dera.train;

import dev.dera.lm.Architecture;
import dev.dera.lm.GenerationConfig;
import dev.dera.lm.ModelConfig;
import java.util.Set;

/** A randomly initialized Llama small enough for gradient tests: hidden 32, 2 layers, 4 heads over 2 KV heads. */
final class TinyTestModel {

    static final ModelConfig CONFIG =
            new ModelConfig(Architecture.LLAMA, 32, 48, 2, 4, 2, 8, 40, 32, 1e-5, 10000.0, 1.0, true, false, 0);
    static final GenerationConfig GENERATION = new GenerationConfig(Set.of(2), 1);

    private TinyTestModel() {
    }
}
