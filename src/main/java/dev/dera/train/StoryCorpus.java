package dev.dera.train;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Deterministic generator of short children's stories (2 to 5 sentences, one story per line) whose wording is
 * cheerful or gloomy at a chosen rate. The same seed always gives byte-identical text.
 */
public final class StoryCorpus {

    /** Number of stories in the default training corpus; gives about 1.3 MB of text. */
    public static final int DEFAULT_STORIES = 10_000;

    /** Number of demo prompts the project uses. */
    public static final int DEFAULT_PROMPTS = 200;

    private static final int DISTINCT_OPENINGS = Lexicon.OPENINGS.size()
            * (Lexicon.GIRL_NAMES.size() + Lexicon.BOY_NAMES.size()
                    + Lexicon.ANIMAL_TRAITS.size() * Lexicon.ANIMALS.size());

    private StoryCorpus() {
    }

    /**
     * Generates stories that all share one mood. The mood draws only choose between the cheerful and the gloomy
     * list, so the same seed at two moods gives the same stories word for word except for the mood words (and "a"
     * or "an" before them): ready made chosen/rejected pairs.
     *
     * @param seed    seed of the generator
     * @param stories number of stories
     * @param mood    probability in [0, 1] that a mood-bearing word is cheerful rather than gloomy
     * @return the stories, one line each, no trailing newline
     */
    public static List<String> generate(long seed, int stories, double mood) {
        if (!(mood >= 0 && mood <= 1)) {
            throw new IllegalArgumentException("mood must be in [0, 1], got " + mood);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<String> result = new ArrayList<>(stories);
        for (int i = 0; i < stories; i++) {
            result.add(new StoryWriter(random, mood).write());
        }
        return result;
    }

    /**
     * Generates stories of mixed mood, as for the reference (SFT) model: each story draws its own mood uniformly
     * from [0, 1], so the corpus as a whole is neutral and leaves room to align towards cheerful stories.
     */
    public static List<String> generateMixed(long seed, int stories) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> result = new ArrayList<>(stories);
        for (int i = 0; i < stories; i++) {
            result.add(new StoryWriter(random, random.nextDouble()).write());
        }
        return result;
    }

    /**
     * Returns {@code count} distinct story openings such as "Once upon a time, a little fox", in a seeded order.
     *
     * @throws IllegalArgumentException if the grammar has fewer than {@code count} distinct openings
     */
    public static List<String> prompts(long seed, int count) {
        if (count > DISTINCT_OPENINGS) {
            throw new IllegalArgumentException(
                    "the grammar has only " + DISTINCT_OPENINGS + " distinct openings, asked for " + count);
        }
        SplittableRandom random = new SplittableRandom(seed);
        Set<String> openings = new LinkedHashSet<>();
        while (openings.size() < count) {
            String words = Lexicon.pick(random, Lexicon.OPENINGS);
            openings.add(StoryWriter.opening(words, StoryWriter.Hero.draw(random)));
        }
        return List.copyOf(openings);
    }

    /**
     * Writes a mixed-mood corpus ({@link #generateMixed}) to {@code file} as UTF-8, one story per line.
     */
    public static void writeCorpus(Path file, long seed, int stories) throws IOException {
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (String story : generateMixed(seed, stories)) {
                writer.write(story);
                writer.write('\n');
            }
        }
    }
}
