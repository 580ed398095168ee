package dev.dera.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * Both models' float32 next-token logits for the same rows in one array {@code [2, rows, vocab]}: the reference's,
 * then the aligned model's. A stacked pair's forward pass yields it as is; two passes are stacked into it.
 */
public record PairLogits(NDArray both) {

    /** The two models' {@code [rows, vocab]} logits stacked into one array, owned by {@code reference}'s manager. */
    static PairLogits stack(NDArray reference, NDArray aligned) {
        return new PairLogits(NDArrays.stack(new NDList(reference, aligned)));
    }

    /** The reference's logits {@code [rows, vocab]} (a view). */
    public NDArray reference() {
        return both.get(0);
    }

    /** The aligned model's logits {@code [rows, vocab]} (a view). */
    public NDArray aligned() {
        return both.get(1);
    }

    long vocabularySize() {
        return both.getShape().get(2);
    }

    /** Moves the array to {@code owner}. */
    void attach(NDManager owner) {
        both.attach(owner);
    }

    /** The given rows of both models, in this order (rows may repeat), owned by {@code owner}. */
    PairLogits selectRows(NDArray rows, NDManager owner) {
        NDArray selected = both.get(new NDIndex(":, {}", rows));
        selected.attach(owner);
        return new PairLogits(selected);
    }

    /** Overwrites rows {@code targetRows} of both models with rows {@code sourceRows} of {@code source}. */
    void setRows(NDArray targetRows, PairLogits source, NDArray sourceRows) {
        both.set(new NDIndex(":, {}", targetRows), source.both.get(new NDIndex(":, {}", sourceRows)));
    }
}
