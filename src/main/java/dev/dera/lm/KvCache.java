package dev.dera.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of every layer for a batch of rows, preallocated to a fixed number of slots and written in place.
 *
 * <p>Slots are shared by all rows (left padding keeps them aligned); each row records the position of the token in
 * every slot, -1 for padding and unwritten slots, so attention masks come from positions alone. All arrays live in
 * the cache's own {@link NDManager}, closed with the cache.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final NDArray slotPositions;
    private final NDArray nextPositions;
    private final int capacity;
    private int length;

    private KvCache(NDManager manager, NDArray[] keys, NDArray[] values, NDArray slotPositions,
            NDArray nextPositions, int capacity, int length) {
        this.manager = manager;
        this.keys = keys;
        this.values = values;
        this.slotPositions = slotPositions;
        this.nextPositions = nextPositions;
        this.capacity = capacity;
        this.length = length;
    }

    /** An empty cache for {@code rows} rows and {@code capacity} slots, in a sub-manager of {@code parent}. */
    static KvCache allocate(NDManager parent, ModelConfig config, DataType dataType, int rows, int capacity) {
        NDManager manager = parent.newSubManager();
        Shape shape = new Shape(rows, config.numKvHeads(), capacity, config.headDim());
        NDArray[] keys = new NDArray[config.numLayers()];
        NDArray[] values = new NDArray[config.numLayers()];
        for (int layer = 0; layer < keys.length; layer++) {
            keys[layer] = keep(manager.zeros(shape, dataType), manager);
            values[layer] = keep(manager.zeros(shape, dataType), manager);
        }
        NDArray slotPositions = keep(manager.full(new Shape(rows, capacity), -1L), manager);
        NDArray nextPositions = keep(manager.zeros(new Shape(rows), DataType.INT64), manager);
        return new KvCache(manager, keys, values, slotPositions, nextPositions, capacity, 0);
    }

    /** Slots written so far (prompt padding included). */
    public int length() {
        return length;
    }

    /** Slots that can still be written. */
    public int remaining() {
        return capacity - length;
    }

    /**
     * A new cache holding the given rows of this one, in this order; rows may repeat (fan a prompt out) or be left
     * out (drop finished rows). This cache is closed.
     */
    public KvCache selectRows(NDArray rowIndices) {
        NDManager target = manager.getParentManager().newSubManager();
        NDIndex rows = new NDIndex("{}", rowIndices);
        NDArray[] newKeys = new NDArray[keys.length];
        NDArray[] newValues = new NDArray[values.length];
        for (int layer = 0; layer < keys.length; layer++) {
            newKeys[layer] = gather(keys[layer], rows, target);
            newValues[layer] = gather(values[layer], rows, target);
        }
        KvCache selected = new KvCache(target, newKeys, newValues, gather(slotPositions, rows, target),
                gather(nextPositions, rows, target), capacity, length);
        close();
        return selected;
    }

    /** Position each row's next token takes, shape [rows]. */
    NDArray nextPositions() {
        return nextPositions;
    }

    /** Reserves {@code count} slots, records their positions ([rows, count], -1 for padding) and returns the first. */
    int append(NDArray positions) {
        int count = (int) positions.getShape().get(1);
        if (count > remaining()) {
            throw new IllegalStateException("KV cache full: " + count + " more slots requested, "
                    + remaining() + " of " + capacity + " left");
        }
        int start = length;
        slotPositions.set(slots(start, count), positions);
        try (NDArray written = positions.max(new int[] {1}).add(1);
                NDArray advanced = written.maximum(nextPositions)) {
            nextPositions.set(new NDIndex(":"), advanced);
        }
        length += count;
        return start;
    }

    void writeLayer(int layer, int start, NDArray layerKeys, NDArray layerValues) {
        NDIndex target = slotsOfLayer(start, (int) layerKeys.getShape().get(2));
        keys[layer].set(target, layerKeys);
        values[layer].set(target, layerValues);
    }

    /** Keys of a layer over the written slots, [rows, kvHeads, length, headDim] (a view). */
    NDArray keys(int layer) {
        return keys[layer].get(new NDIndex(":, :, :{}", length));
    }

    NDArray values(int layer) {
        return values[layer].get(new NDIndex(":, :, :{}", length));
    }

    /** Positions of the written slots, [rows, length] (a view). */
    NDArray slotPositions() {
        return slotPositions.get(new NDIndex(":, :{}", length));
    }

    @Override
    public void close() {
        manager.close();
    }

    private static NDIndex slots(int start, int count) {
        return new NDIndex(":, {}:{}", start, start + count);
    }

    private static NDIndex slotsOfLayer(int start, int count) {
        return new NDIndex(":, :, {}:{}", start, start + count);
    }

    private static NDArray gather(NDArray array, NDIndex rows, NDManager target) {
        return keep(array.get(rows), target);
    }

    /** Takes an array out of any enclosing {@link NDScope} and into {@code owner}: the cache closes it. */
    private static NDArray keep(NDArray array, NDManager owner) {
        NDScope.unregister(array);
        array.attach(owner);
        return array;
    }
}
