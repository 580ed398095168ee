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

    /** A Markdown table row: model | measurement | value | target | met | detail. */
    String markdownRow() {
        return String.format(Locale.ROOT, "| %s | %s | %.3f | %s | %s | %s |", model, name, value, target,
                met ? "yes" : "NO", detail);
    }
}
