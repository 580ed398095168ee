package dev.dera.eval;

import java.io.Serializable;

/** Scores a text; higher is better. Serializable so that a scorer can be shipped to Spark executors. */
public interface Reward extends Serializable {

    /** The name under which {@link Rewards#byName} finds this reward. */
    String name();

    /** Scores {@code text}. */
    double score(String text);
}
