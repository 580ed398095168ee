package dev.dera.lm;

/** Functions that Hugging Face gives chat templates besides Jinja's own; public for jinjava's reflection. */
public final class TemplateFunctions {
    private TemplateFunctions() {}

    /** A template's own {@code raise_exception(message)}: the conversation is not one the template accepts. */
    static final class Raised extends RuntimeException {
        Raised(String message) {
            super(message);
        }
    }

    /** {@code raise_exception(message)}: always throws. */
    public static Object raiseException(String message) {
        throw new Raised(message);
    }
}
