package dev.dera.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/** Both models' float32 next-token logits for the same rows, each [rows, vocab]. */
public record PairLogits(NDArray reference, NDArray aligned) {

    /** Moves both arrays to {@code owner}. */
    void attach(NDManager owner) {
        reference.attach(owner);
        aligned.attach(owner);
    }

    /** The rows of both, in this order (rows may repeat), owned by {@code owner}. */
    PairLogits selectRows(NDArray rows, NDManager owner) {
        return new PairLogits(select(reference, rows, owner), select(aligned, rows, owner));
    }

    private static NDArray select(NDArray logits, NDArray rows, NDManager owner) {
        NDArray selected = logits.get(new NDIndex("{}", rows));
        selected.attach(owner);
        return selected;
    }
}
