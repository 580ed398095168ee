package dev.dera.eval;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link RewardModel} as a {@link RewardScorer}: ships only the folder path; each JVM (each Spark executor) loads
 * the model once, on first use, and shares it between its tasks.
 */
record RewardModelScorer(String modelDir) implements RewardScorer {
    private static final Map<String, RewardModel> LOADED = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(RewardModelScorer::closeAll, "dera-close-reward-models"));
    }

    @Override
    public String description() {
        return "reward model " + modelDir;
    }

    @Override
    public boolean needsPrompts() {
        return true;
    }

    @Override
    public double[] score(List<String> prompts, List<String> completions) {
        float[] scores = model().scoreTexts(prompts, completions);
        double[] rewards = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            rewards[i] = scores[i];
        }
        return rewards;
    }

    /** This JVM's instance of the model, loaded on first use. */
    RewardModel model() {
        return LOADED.computeIfAbsent(modelDir, dir -> RewardModel.load(Path.of(dir)));
    }

    private static void closeAll() {
        LOADED.values().forEach(RewardModel::close);
        LOADED.clear();
    }
}
