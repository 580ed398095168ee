package dev.dera.train;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Runs PyTorch's CPU operators on one thread while open and restores the previous thread count on close.
 * Training uses it so that results never depend on the thread count (the same seed gives the same weights hash on
 * any machine), and because tiny models gain nothing from threads: on shared cores, PyTorch's spinning worker
 * threads made training and sampling ten times slower than one thread.
 */
final class SingleThreaded implements AutoCloseable {

    private final int previousThreads;

    SingleThreaded() {
        Engine.getInstance();
        previousThreads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
    }

    @Override
    public void close() {
        JniUtils.setNumThreads(previousThreads);
    }
}
