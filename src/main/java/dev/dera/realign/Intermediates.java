package dev.dera.realign;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/** Runs an NDArray computation so that only its result outlives it. */
final class Intermediates {

    private Intermediates() {}

    /**
     * Computes a result inside its own {@link NDScope}, closes every other array the computation created, and
     * hands the result to {@code owner} (and to the caller's enclosing {@code NDScope}, if there is one).
     */
    static NDArray closedExcept(NDManager owner, Supplier<NDArray> computation) {
        NDArray result;
        try (NDScope scope = new NDScope()) {
            result = computation.get();
            NDScope.unregister(result);
        }
        result.attach(owner);
        NDScope.register(result);
        return result;
    }
}
