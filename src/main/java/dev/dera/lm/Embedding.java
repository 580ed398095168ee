package dev.dera.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Token embeddings, optionally scaled (Gemma) or added to learned position embeddings (GPT-2). Stacked tables
 * ([models, vocab, hidden]) are read as one [models * vocab, hidden] table with each model's ids offset.
 */
final class Embedding {
    private final NDArray table;
    private final double scale;
    private final Lookup tokens;
    private final Lookup positions;

    private Embedding(NDArray table, double scale, NDArray positionTable) {
        this.table = table;
        this.scale = scale;
        this.tokens = new Lookup(table);
        this.positions = positionTable == null ? null : new Lookup(positionTable);
    }

    static Embedding of(NDArray table) {
        return new Embedding(table, 1.0, null);
    }

    /** Embeddings multiplied by {@code scale}, rounded to the weights' type as Gemma does. */
    static Embedding scaled(NDArray table, double scale) {
        return new Embedding(table, scale, null);
    }

    static Embedding withPositions(NDArray table, NDArray positionTable) {
        return new Embedding(table, 1.0, positionTable);
    }

    /** The token table [vocab, hidden] (stacked: [models, vocab, hidden]), for tied output projections. */
    NDArray table() {
        return table;
    }

    /**
     * Token ids [rows, tokens], the same for every model, and each row's positions [models * rows, tokens] to
     * [models, rows * tokens, hidden].
     */
    NDArray apply(NDArray tokenIds, NDArray rowPositions) {
        NDArray x = tokens.of(tokenIds.reshape(1, -1));
        if (scale != 1.0) {
            x = x.mul(NativeScalar.like(x, scale));
        }
        return positions == null ? x : x.add(positions.of(rowPositions.reshape(positions.models, -1)));
    }

    /** Rows of one table, or of stacked ones through offset ids. */
    private static final class Lookup {
        private final NDArray flat;
        private final int models;
        private final NDArray offsets;

        Lookup(NDArray table) {
            Shape shape = table.getShape();
            models = shape.dimension() == 3 ? (int) shape.get(0) : 1;
            long size = shape.get(shape.dimension() - 2);
            flat = models == 1 ? table : table.reshape(models * size, shape.get(shape.dimension() - 1));
            offsets = models == 1 ? null : table.getManager().arange(0, models * size, size, DataType.INT64)
                    .reshape(models, 1);
        }

        /** ids [1 or models, n] (one row: the same ids for every model) to each model's rows, [models, n, width]. */
        NDArray of(NDArray ids) {
            return flat.get(new NDIndex("{}", offsets == null ? ids : ids.add(offsets)));
        }
    }
}
