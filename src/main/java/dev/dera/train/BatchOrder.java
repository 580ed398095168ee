package dev.dera.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Seeded mini-batch order over a data set: every epoch visits each item once, in a fresh seeded shuffle. */
final class BatchOrder {

    private final List<Integer> order = new ArrayList<>();
    private final Random random;
    private final int batchSize;
    private int next;

    BatchOrder(int items, int batchSize, long seed) {
        if (items < 1 || batchSize < 1) {
            throw new IllegalArgumentException("need at least one item and a positive batch size, got "
                    + items + " items and batch size " + batchSize);
        }
        for (int i = 0; i < items; i++) {
            order.add(i);
        }
        this.random = new Random(seed);
        this.batchSize = Math.min(batchSize, items);
        Collections.shuffle(order, random);
    }

    /** The indices of the next batch; a batch never spans two epochs. */
    List<Integer> nextBatch() {
        if (next + batchSize > order.size()) {
            Collections.shuffle(order, random);
            next = 0;
        }
        List<Integer> batch = List.copyOf(order.subList(next, next + batchSize));
        next += batchSize;
        return batch;
    }

    /** The items of the next batch. */
    <T> List<T> nextBatch(List<T> items) {
        return nextBatch().stream().map(items::get).toList();
    }
}
