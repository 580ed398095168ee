package dev.dera.decode;

/** Hears about each step of a decode: for progress reporting and for benchmarks. */
@FunctionalInterface
public interface DecodeListener {
    DecodeListener NONE = (step, tokens) -> { };

    /**
     * Called after each decode step, on the decoding thread.
     *
     * @param step the batch's step just done (0 for the first); a row's own steps start when it is admitted
     * @param tokens tokens generated in this step (the rows that were active)
     */
    void onStep(int step, int tokens);
}
