package dev.dera.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/** Token embeddings, optionally scaled (Gemma) or added to learned position embeddings (GPT-2). */
final class Embedding {
    private final NDArray table;
    private final double scale;
    private final NDArray positionTable;

    private Embedding(NDArray table, double scale, NDArray positionTable) {
        this.table = table;
        this.scale = scale;
        this.positionTable = positionTable;
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

    /** The token table [vocab, hidden], for tied output projections. */
    NDArray table() {
        return table;
    }

    /** tokenIds and positions [rows, tokens] to [rows, tokens, hidden]. */
    NDArray apply(NDArray tokenIds, NDArray positions) {
        NDArray x = table.get(new NDIndex("{}", tokenIds));
        if (scale != 1.0) {
            x = x.mul(NativeScalar.like(x, scale));
        }
        return positionTable == null ? x : x.add(positionTable.get(new NDIndex("{}", positions)));
    }
}
