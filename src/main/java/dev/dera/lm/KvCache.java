package dev.dera.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Keys and values of every layer for a batch of rows, preallocated to a fixed number of slots and written in place.
 *
 * <p>Each row has its own length (slots written) and records the position of the token in every slot, -1 for
 * padding and unwritten slots, so attention masks come from positions alone and attention reads the slots up to the
 * longest row. When all rows have the same length a call writes one range of slots; otherwise (rows that joined at
 * different times) each row's token goes to its own next slot with one indexed put per layer. A row can be released
 * and a prefilled prompt admitted into it ({@link #admit}) without copying the other rows. All arrays live in the
 * cache's own {@link NDManager}, closed with the cache.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final NDArray slotPositions;
    private final NDArray nextPositions;
    private final int capacity;
    private final int[] rowLengths;
    private final boolean[] released;
    private NDIndex writeIndex;
    private boolean writePerRow;

    private KvCache(NDManager manager, NDArray[] keys, NDArray[] values, NDArray slotPositions,
            NDArray nextPositions, int capacity, int[] rowLengths, boolean[] released) {
        this.manager = manager;
        this.keys = keys;
        this.values = values;
        this.slotPositions = slotPositions;
        this.nextPositions = nextPositions;
        this.capacity = capacity;
        this.rowLengths = rowLengths;
        this.released = released;
    }

    /**
     * An empty cache for {@code rows} rows and {@code capacity} slots, in a sub-manager of {@code parent}. Its keys
     * and values are not initialized: every slot that attention reads has been written by a forward call or zeroed
     * by {@link #admit}.
     */
    static KvCache allocate(NDManager parent, ModelConfig config, DataType dataType, int rows, int capacity) {
        NDManager manager = parent.newSubManager();
        Shape shape = new Shape(rows, config.numKvHeads(), capacity, config.headDim());
        NDArray[] keys = new NDArray[config.numLayers()];
        NDArray[] values = new NDArray[config.numLayers()];
        for (int layer = 0; layer < keys.length; layer++) {
            keys[layer] = keep(manager.create(shape, dataType), manager);
            values[layer] = keep(manager.create(shape, dataType), manager);
        }
        NDArray slotPositions = keep(manager.full(new Shape(rows, capacity), -1L), manager);
        NDArray nextPositions = keep(manager.zeros(new Shape(rows), DataType.INT64), manager);
        return new KvCache(manager, keys, values, slotPositions, nextPositions, capacity, new int[rows],
                new boolean[rows]);
    }

    /** Rows of the cache, released ones included. */
    public int rows() {
        return rowLengths.length;
    }

    /** Slots that attention reads: the length of the longest row that is not released. */
    public int length() {
        int longest = 0;
        for (int row = 0; row < rowLengths.length; row++) {
            if (!released[row]) {
                longest = Math.max(longest, rowLengths[row]);
            }
        }
        return longest;
    }

    /**
     * Marks rows as free: their slots are ignored until a prompt is {@link #admit admitted} into them, which rewrites
     * every slot position of the row. A released row still takes part in forward calls (its output is meaningless),
     * writing only its first slot.
     */
    public void release(int... rows) {
        for (int row : rows) {
            released[row] = true;
            rowLengths[row] = 0;
        }
    }

    /**
     * Copies rows of a prefilled cache into released rows of this one: {@code targetRows[i]} gets the keys, values,
     * slot positions and next position of {@code source} row {@code sourceRows[i]} (a source row may repeat: a
     * prompt fanned out to its lambdas and samples). One gather and one indexed put per layer and array, and one
     * indexed fill that zeroes the slots after the prompt: masks are additive, so the slots that attention reads
     * beyond a row's length (up to the longest row's) must hold finite values, not what the row's previous occupant
     * or the allocation left there.
     */
    public void admit(int[] targetRows, KvCache source, int[] sourceRows) {
        int sourceLength = source.length();
        if (sourceLength > capacity) {
            throw new IllegalStateException("KV cache full: a prompt of " + sourceLength + " slots does not fit "
                    + capacity);
        }
        try (NDScope scope = new NDScope()) {
            NDArray target = manager.create(toLongs(targetRows));
            NDArray from = source.manager.create(toLongs(sourceRows));
            NDIndex sourceSlots = new NDIndex("{}, :, :{}", from, sourceLength);
            NDIndex targetSlots = rowsIndex(targetRows, target).addSliceDim(0, sourceLength);
            NDIndex slotsAfter = rowsIndex(targetRows, target).addSliceDim(sourceLength, capacity);
            for (int layer = 0; layer < keys.length; layer++) {
                keys[layer].set(targetSlots, source.keys[layer].get(sourceSlots));
                values[layer].set(targetSlots, source.values[layer].get(sourceSlots));
                if (sourceLength < capacity) {
                    keys[layer].set(slotsAfter, 0f);
                    values[layer].set(slotsAfter, 0f);
                }
            }
            NDArray positions = source.slotPositions.get(new NDIndex("{}, :{}", from, sourceLength));
            if (sourceLength < capacity) {
                NDArray unwritten = manager.full(new Shape(targetRows.length, capacity - sourceLength), -1L);
                positions = positions.concat(unwritten, 1);
            }
            slotPositions.set(new NDIndex("{}", target), positions);
            nextPositions.set(new NDIndex("{}", target), source.nextPositions.get(new NDIndex("{}", from)));
        }
        for (int row : targetRows) {
            released[row] = false;
            rowLengths[row] = sourceLength;
        }
    }

    /**
     * A new cache holding the given rows of this one, in this order; rows may repeat (fan a prompt out) or be left
     * out (drop finished rows). This cache is closed.
     */
    public KvCache selectRows(NDArray rowIndices) {
        long[] selected = rowIndices.toLongArray();
        int[] lengths = new int[selected.length];
        boolean[] free = new boolean[selected.length];
        for (int i = 0; i < selected.length; i++) {
            lengths[i] = rowLengths[(int) selected[i]];
            free[i] = released[(int) selected[i]];
        }
        NDManager target = manager.getParentManager().newSubManager();
        NDIndex rows = new NDIndex("{}", rowIndices);
        NDArray[] newKeys = new NDArray[keys.length];
        NDArray[] newValues = new NDArray[values.length];
        for (int layer = 0; layer < keys.length; layer++) {
            newKeys[layer] = gather(keys[layer], rows, target);
            newValues[layer] = gather(values[layer], rows, target);
        }
        KvCache kept = new KvCache(target, newKeys, newValues, gather(slotPositions, rows, target),
                gather(nextPositions, rows, target), capacity, lengths, free);
        close();
        return kept;
    }

    /** Position each row's next token takes, shape [rows]. */
    NDArray nextPositions() {
        return nextPositions;
    }

    /**
     * Reserves the next {@code count} slots of every row and records their positions ([rows, count], -1 for
     * padding); the layers' {@link #writeLayer} calls of this forward call write there. Rows of different lengths
     * take one token each.
     */
    void append(NDArray positions) {
        int count = (int) positions.getShape().get(1);
        int first = rowLengths.length == 0 ? 0 : rowLengths[0];
        writePerRow = Arrays.stream(rowLengths).anyMatch(length -> length != first);
        if (writePerRow && count != 1) {
            throw new IllegalStateException("rows of different lengths take one token per call, not " + count);
        }
        int longest = Arrays.stream(rowLengths).max().orElse(0);
        if (longest + count > capacity) {
            throw new IllegalStateException("KV cache full: " + count + " more slots requested, "
                    + (capacity - longest) + " of " + capacity + " left");
        }
        if (writePerRow) {
            NDManager scoped = positions.getManager();
            NDArray rows = scoped.arange(0L, (long) rowLengths.length, 1L, DataType.INT64);
            NDArray slots = scoped.create(toLongs(rowLengths));
            slotPositions.set(new NDIndex("{}, {}", rows, slots),
                    positions.squeeze(1).toType(slotPositions.getDataType(), false));
            writeIndex = new NDIndex("{}, :, {}", rows, slots);
        } else {
            slotPositions.set(new NDIndex(":, {}:{}", first, first + count), positions);
            writeIndex = new NDIndex(":, :, {}:{}", first, first + count);
        }
        try (NDArray written = positions.max(new int[] {1}).add(1);
                NDArray advanced = written.maximum(nextPositions)) {
            nextPositions.set(new NDIndex(":"), advanced);
        }
        for (int row = 0; row < rowLengths.length; row++) {
            if (!released[row]) {
                rowLengths[row] += count;
            }
        }
    }

    /** Writes a layer's keys and values of this call's tokens, [rows, kvHeads, tokens, headDim], to their slots. */
    void writeLayer(int layer, NDArray layerKeys, NDArray layerValues) {
        keys[layer].set(writeIndex, writePerRow ? layerKeys.squeeze(2) : layerKeys);
        values[layer].set(writeIndex, writePerRow ? layerValues.squeeze(2) : layerValues);
    }

    /** Keys of a layer over the slots attention reads, [rows, kvHeads, length, headDim] (a view). */
    NDArray keys(int layer) {
        return keys[layer].get(new NDIndex(":, :, :{}", length()));
    }

    NDArray values(int layer) {
        return values[layer].get(new NDIndex(":, :, :{}", length()));
    }

    /** Positions of the slots attention reads, [rows, length] (a view). */
    NDArray slotPositions() {
        return slotPositions.get(new NDIndex(":, :{}", length()));
    }

    @Override
    public void close() {
        manager.close();
    }

    /**
     * The rows and every head of {@code rows}: a range when they are consecutive (a whole fresh batch), which copies
     * in place of an indexed put, else the index array.
     */
    private static NDIndex rowsIndex(int[] rows, NDArray rowArray) {
        boolean consecutive = rows.length > 0 && IntStream.range(0, rows.length).allMatch(i -> rows[i] == rows[0] + i);
        NDIndex index = consecutive ? new NDIndex().addSliceDim(rows[0], rows[0] + rows.length)
                : new NDIndex("{}", rowArray);
        return index.addAllDim();
    }

    private static long[] toLongs(int[] values) {
        return Arrays.stream(values).asLongStream().toArray();
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
