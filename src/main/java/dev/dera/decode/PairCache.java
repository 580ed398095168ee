package dev.dera.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import dev.dera.lm.KvCache;

/**
 * The KV caches of both models of a {@link ModelPair} over the same rows; row operations apply to both. For a
 * stacked pair it is one cache with the reference's rows, then the aligned model's.
 */
public final class PairCache implements AutoCloseable {
    private KvCache reference;
    private KvCache aligned;
    private KvCache stacked;
    private long rows;

    private PairCache(KvCache reference, KvCache aligned, KvCache stacked, long rows) {
        this.reference = reference;
        this.aligned = aligned;
        this.stacked = stacked;
        this.rows = rows;
    }

    static PairCache separate(KvCache reference, KvCache aligned) {
        return new PairCache(reference, aligned, null, 0);
    }

    /** One cache of {@code 2 * rows} rows, model-major. */
    static PairCache stacked(KvCache both, long rows) {
        return new PairCache(null, null, both, rows);
    }

    KvCache reference() {
        return reference;
    }

    KvCache aligned() {
        return aligned;
    }

    KvCache stacked() {
        return stacked;
    }

    /** Keeps the given rows, in this order; rows may repeat (fan a prompt out) or be left out (drop finished rows). */
    void selectRows(NDArray rows) {
        if (stacked != null) {
            stacked = stacked.selectRows(bothModels(rows));
            this.rows = rows.size();
            return;
        }
        reference = reference.selectRows(rows);
        aligned = aligned.selectRows(rows);
    }

    @Override
    public void close() {
        if (stacked != null) {
            stacked.close();
        } else {
            reference.close();
            aligned.close();
        }
    }

    /** The stacked cache's rows of the pair's {@code rows}: the reference's r, then the aligned model's rows + r. */
    private NDArray bothModels(NDArray rows) {
        return NDArrays.concat(new NDList(rows, rows.add(this.rows)));
    }
}
