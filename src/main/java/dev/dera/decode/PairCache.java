package dev.dera.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import dev.dera.lm.KvCache;
import java.util.stream.IntStream;

/**
 * The KV caches of both models of a {@link ModelPair} over the same rows; row operations apply to both. For a
 * stacked pair it is one cache with the reference's rows, then the aligned model's.
 */
public final class PairCache implements AutoCloseable {
    private KvCache reference;
    private KvCache aligned;
    private KvCache stacked;
    private int rows;

    private PairCache(KvCache reference, KvCache aligned, KvCache stacked, int rows) {
        this.reference = reference;
        this.aligned = aligned;
        this.stacked = stacked;
        this.rows = rows;
    }

    static PairCache separate(KvCache reference, KvCache aligned) {
        return new PairCache(reference, aligned, null, reference.rows());
    }

    /** One cache of {@code 2 * rows} rows, model-major. */
    static PairCache stacked(KvCache both, int rows) {
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

    /** Rows of the batch, released ones included. */
    int rows() {
        return rows;
    }

    /** Keeps the given rows, in this order; rows may repeat (fan a prompt out) or be left out (drop finished rows). */
    void selectRows(NDArray kept) {
        if (stacked != null) {
            stacked = stacked.selectRows(bothModels(kept));
        } else {
            reference = reference.selectRows(kept);
            aligned = aligned.selectRows(kept);
        }
        rows = (int) kept.size();
    }

    /** Frees rows for later admissions (see {@link KvCache#release}). */
    void release(int... freed) {
        if (stacked != null) {
            stacked.release(bothModels(freed));
        } else {
            reference.release(freed);
            aligned.release(freed);
        }
    }

    /** Copies rows of a prefilled pair cache into released rows of this one (see {@link KvCache#admit}). */
    void admit(int[] targetRows, PairCache source, int[] sourceRows) {
        if (stacked != null) {
            stacked.admit(bothModels(targetRows), source.stacked, source.bothModels(sourceRows));
        } else {
            reference.admit(targetRows, source.reference, sourceRows);
            aligned.admit(targetRows, source.aligned, sourceRows);
        }
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

    /** The stacked cache's rows of the pair's {@code pairRows}: the reference's r, then the aligned model's rows + r. */
    private NDArray bothModels(NDArray pairRows) {
        return NDArrays.concat(new NDList(pairRows, pairRows.add(rows)));
    }

    private int[] bothModels(int[] pairRows) {
        return IntStream.concat(IntStream.of(pairRows), IntStream.of(pairRows).map(row -> row + rows)).toArray();
    }
}
