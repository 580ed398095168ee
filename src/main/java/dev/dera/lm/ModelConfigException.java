package dev.dera.lm;

/** A model folder whose configuration or files cannot be used; the message says what to fix. */
public class ModelConfigException extends RuntimeException {
    public ModelConfigException(String message) {
        super(message);
    }

    public ModelConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
