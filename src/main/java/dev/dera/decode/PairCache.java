package dev.dera.decode;

import ai.djl.ndarray.NDArray;
import dev.dera.lm.KvCache;

/** The KV caches of both models of a {@link ModelPair} over the same rows; row operations apply to both. */
public final class PairCache implements AutoCloseable {
    private KvCache reference;
    private KvCache aligned;

    PairCache(KvCache reference, KvCache aligned) {
        this.reference = reference;
        this.aligned = aligned;
    }

    KvCache reference() {
        return reference;
    }

    KvCache aligned() {
        return aligned;
    }

    /** Keeps the given rows, in this order; rows may repeat (fan a prompt out) or be left out (drop finished rows). */
    void selectRows(NDArray rows) {
        reference = reference.selectRows(rows);
        aligned = aligned.selectRows(rows);
    }

    @Override
    public void close() {
        reference.close();
        aligned.close();
    }
}
