package dev.dera.lm;

/** Process-wide DJL settings: offline unless the user asked otherwise. */
public final class DjlRuntime {
    static final String OFFLINE_PROPERTY = "ai.djl.offline";

    private DjlRuntime() {}

    /**
     * Puts DJL in offline mode so it never downloads anything, unless {@code -Dai.djl.offline=false} was given
     * (for example on an online GPU cluster that lets DJL fetch the CUDA libtorch).
     */
    public static void ensureOffline() {
        if (System.getProperty(OFFLINE_PROPERTY) == null) {
            System.setProperty(OFFLINE_PROPERTY, "true");
        }
    }
}
