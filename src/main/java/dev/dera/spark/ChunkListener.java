package dev.dera.spark;

/** Called on the driver after each chunk's rows are committed (progress hooks, crash tests). */
@FunctionalInterface
public interface ChunkListener {
    ChunkListener NONE = chunk -> { };

    void committed(int chunk);
}
