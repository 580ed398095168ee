package dev.dera.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dera.testing.SharedModels;
import org.junit.jupiter.api.Test;

/** Admission into released rows: what attention reads of an admitted row never comes from the row's past. */
class KvCacheAdmitTest {
    private static final int CAPACITY = 8;

    @Test
    void slotsPastAnAdmittedPromptReadAsZerosWhateverTheRowHeldBefore() {
        ModelConfig config = ModelConfig.load(SharedModels.reference());
        try (NDManager manager = NDManager.newBaseManager()) {
            KvCache batch = KvCache.allocate(manager, config, DataType.FLOAT32, 4, CAPACITY);
            fill(batch, config, manager, 4, CAPACITY, Float.NaN); // previous occupants gone bad
            batch.release(0, 1, 2, 3);
            KvCache shortPrompt = KvCache.allocate(manager, config, DataType.FLOAT32, 1, 3);
            fill(shortPrompt, config, manager, 1, 3, 1f);
            KvCache longPrompt = KvCache.allocate(manager, config, DataType.FLOAT32, 1, 5);
            fill(longPrompt, config, manager, 1, 5, 2f);

            batch.admit(new int[] {0, 2}, shortPrompt, new int[] {0, 0}); // rows apart: an indexed put
            batch.admit(new int[] {1}, longPrompt, new int[] {0}); // a range: a copy
            batch.admit(new int[] {3}, shortPrompt, new int[] {0});

            assertEquals(5, batch.length());
            for (int layer = 0; layer < config.numLayers(); layer++) {
                for (NDArray read : new NDArray[] {batch.keys(layer), batch.values(layer)}) {
                    for (int row : new int[] {0, 2, 3}) {
                        assertArrayEquals(new float[] {1, 1, 1, 0, 0}, slots(read, row),
                                "layer " + layer + ", row " + row);
                    }
                    assertArrayEquals(new float[] {2, 2, 2, 2, 2}, slots(read, 1), "layer " + layer + ", long row");
                }
            }
            NDArray positions = batch.slotPositions().get(0).toType(DataType.INT64, false);
            assertArrayEquals(new long[] {0, 1, 2, -1, -1}, positions.toLongArray());
        }
    }

    /** Writes {@code value} to every slot of every row and layer (the cache's manager closes with {@code manager}). */
    private static void fill(KvCache cache, ModelConfig config, NDManager manager, int rows, int slots, float value) {
        NDArray positions = manager.arange(0L, (long) slots, 1L, DataType.INT64).reshape(1, slots).repeat(0, rows);
        cache.append(positions);
        Shape shape = new Shape(rows, config.numKvHeads(), slots, config.headDim());
        for (int layer = 0; layer < config.numLayers(); layer++) {
            cache.writeLayer(layer, manager.full(shape, value), manager.full(shape, value));
        }
    }

    /** One value per slot of {@code row}: the first head's first dimension. */
    private static float[] slots(NDArray read, int row) {
        return read.get(new NDIndex("{}, 0, :, 0", row)).toFloatArray();
    }
}
