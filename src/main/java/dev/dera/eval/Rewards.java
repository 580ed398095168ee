package dev.dera.eval;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** Finds rewards by name. */
public final class Rewards {

    private static final Map<String, Supplier<Reward>> KNOWN = new TreeMap<>(Map.of(
            SentimentReward.NAME, SentimentReward::new));

    private Rewards() {
    }

    /**
     * Returns a new instance of the reward called {@code name}.
     *
     * @throws IllegalArgumentException naming the known rewards, if there is none of that name
     */
    public static Reward byName(String name) {
        Supplier<Reward> reward = KNOWN.get(name);
        if (reward == null) {
            throw new IllegalArgumentException(
                    "unknown reward '" + name + "'; known rewards: " + String.join(", ", KNOWN.keySet()));
        }
        return reward.get();
    }
}
