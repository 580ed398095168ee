package dev.dera.bench;

import java.util.Locale;

/**
 * One benchmark figure and its target.
 *
 * @param target human-readable bound, e.g. "<= 2.2"
 * @param met whether the value satisfies the target
 */
record Measurement(String model, String name, double value, String detail, String target, boolean met) {

    static Measurement atMost(String model, String name, double value, double bound, String detail) {
        return new Measurement(model, name, value, detail, "<= " + bound, value <= bound);
    }

    static Measurement atLeast(String model, String name, double value, double bound, String detail) {
        return new Measurement(model, name, value, detail, ">= " + bound, value >= bound);
    }

    /** A figure recorded without a target (e.g. an operation count to compare across commits). */
    static Measurement count(String model, String name, double value, String detail) {
        return new Measurement(model, name, value, detail, "-", true);
    }

    /** A Markdown table row: model | measurement | value | target | met | detail. */
    String markdownRow() {
        String shown = value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.3f",
                value);
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |", model, name, shown, target,
                met ? "yes" : "NO", detail);
    }
}
