package dev.dera.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dera.testing.SharedModels;
import org.junit.jupiter.api.Test;

/** The final normed hidden states of every slot, times the tied embedding table, are the model's logits. */
class HiddenStatesTest {

    @Test
    void hiddenStatesProjectOntoTheLogitsOfEverySlot() {
        try (LanguageModel model = LanguageModel.load(SharedModels.reference());
                NDManager manager = model.manager().newSubManager();
                KvCache statesCache = model.newCache(manager, 2, 4);
                KvCache logitsCache = model.newCache(manager, 2, 4)) {
            assertTrue(model.config().tieWordEmbeddings());
            NDArray ids = manager.create(new long[][] {{0, 1, 403, 407}, {1, 403, 407, 261}});
            NDArray mask = manager.create(new long[][] {{0, 1, 1, 1}, {1, 1, 1, 1}});
            NDArray states = model.hiddenStates(ids, mask, statesCache, manager);
            assertEquals(new Shape(2, 4, model.config().hiddenSize()), states.getShape());
            assertEquals(DataType.FLOAT32, states.getDataType());
            float[] table = FloatWeights.read(SharedModels.reference(), model.config()).get(LlamaLayout.EMBEDDING);
            NDArray embedding = manager.create(table, new Shape(model.config().vocabSize(), model.config().hiddenSize()));
            NDArray logits = model.prefillAllLogits(ids, mask, logitsCache, manager);
            assertTrue(ForwardChecks.maxAbsDiff(states.matMul(embedding.transpose()), logits) <= 1e-5);
        }
    }
}
