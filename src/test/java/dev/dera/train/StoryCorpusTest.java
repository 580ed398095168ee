package dev.dera.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dera.eval.Reward;
import dev.dera.eval.SentimentReward;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoryCorpusTest {

    private static final int SAMPLE = 500;
    private static final Set<String> ARTICLES = Set.of("a / an", "an / a");
    private final Reward sentiment = new SentimentReward();

    @Test
    void sameSeedGivesIdenticalStories() {
        assertEquals(StoryCorpus.generate(11, SAMPLE, 0.3), StoryCorpus.generate(11, SAMPLE, 0.3));
        assertEquals(StoryCorpus.generateMixed(11, SAMPLE), StoryCorpus.generateMixed(11, SAMPLE));
    }

    @Test
    void differentSeedGivesDifferentStories() {
        assertNotEquals(StoryCorpus.generateMixed(11, SAMPLE), StoryCorpus.generateMixed(12, SAMPLE));
    }

    @Test
    void defaultCorpusFileIsOverOneMegabyteAndReproducible(@TempDir Path dir) throws IOException {
        Path first = dir.resolve("first.txt");
        Path second = dir.resolve("second.txt");
        StoryCorpus.writeCorpus(first, 5, StoryCorpus.DEFAULT_STORIES);
        StoryCorpus.writeCorpus(second, 5, StoryCorpus.DEFAULT_STORIES);

        assertTrue(Files.size(first) >= 1 << 20, "corpus has only " + Files.size(first) + " bytes");
        assertEquals(StoryCorpus.DEFAULT_STORIES, Files.readAllLines(first).size());
        assertEquals(-1, Files.mismatch(first, second));
    }

    @Test
    void everyStoryHasTwoToFiveSentences() {
        for (String story : StoryCorpus.generateMixed(3, SAMPLE)) {
            long sentences = story.chars().filter(c -> c == '.' || c == '!' || c == '?').count();
            assertTrue(sentences >= 2 && sentences <= 5, story);
        }
    }

    @Test
    void cheerfulStoriesScoreClearlyHigherThanGloomyOnes() {
        double cheerful = meanSentiment(StoryCorpus.generate(21, SAMPLE, 1.0));
        double gloomy = meanSentiment(StoryCorpus.generate(22, SAMPLE, 0.0));

        assertTrue(cheerful > 0.2, "cheerful mean " + cheerful);
        assertTrue(gloomy < -0.2, "gloomy mean " + gloomy);
        assertTrue(cheerful - gloomy > 0.5, "margin " + (cheerful - gloomy));
    }

    @Test
    void sameSeedAtTwoMoodsDiffersOnlyInMoodWords() {
        List<String> cheerful = StoryCorpus.generate(51, SAMPLE, 1.0);
        List<String> gloomy = StoryCorpus.generate(51, SAMPLE, 0.0);
        for (int i = 0; i < SAMPLE; i++) {
            String[] cheerfulWords = cheerful.get(i).split(" ");
            String[] gloomyWords = gloomy.get(i).split(" ");
            assertEquals(cheerfulWords.length, gloomyWords.length, cheerful.get(i));
            for (int w = 0; w < cheerfulWords.length; w++) {
                String pair = cheerfulWords[w] + " / " + gloomyWords[w];
                boolean same = cheerfulWords[w].equals(gloomyWords[w]);
                boolean moodPair = sentiment.score(cheerfulWords[w]) > 0 && sentiment.score(gloomyWords[w]) < 0;
                assertTrue(same || moodPair || ARTICLES.contains(pair), pair);
            }
        }
    }

    @Test
    void pureMoodsNeverUseWordsOfTheOtherMood() {
        assertNoWordFrom(Lexicon.gloomyWords(), StoryCorpus.generate(31, SAMPLE, 1.0));
        assertNoWordFrom(Lexicon.cheerfulWords(), StoryCorpus.generate(31, SAMPLE, 0.0));
    }

    @Test
    void mixedCorpusIsNeutralOnAverageAndHoldsBothMoods() {
        List<String> stories = StoryCorpus.generateMixed(41, SAMPLE);

        assertTrue(Math.abs(meanSentiment(stories)) < 0.1, "mixed mean " + meanSentiment(stories));
        assertTrue(stories.stream().anyMatch(story -> sentiment.score(story) > 0.5));
        assertTrue(stories.stream().anyMatch(story -> sentiment.score(story) < -0.5));
    }

    @Test
    void moodOutsideZeroToOneIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> StoryCorpus.generate(1, 1, 1.5));
        assertThrows(IllegalArgumentException.class, () -> StoryCorpus.generate(1, 1, Double.NaN));
    }

    @Test
    void promptsAreDistinctDeterministicNeutralStoryOpenings() {
        List<String> prompts = StoryCorpus.prompts(7, StoryCorpus.DEFAULT_PROMPTS);

        assertEquals(StoryCorpus.DEFAULT_PROMPTS, new HashSet<>(prompts).size());
        assertEquals(prompts, StoryCorpus.prompts(7, StoryCorpus.DEFAULT_PROMPTS));
        assertNotEquals(prompts, StoryCorpus.prompts(8, StoryCorpus.DEFAULT_PROMPTS));
        for (String prompt : prompts) {
            assertTrue(Lexicon.OPENINGS.stream().anyMatch(opening -> prompt.startsWith(opening + ", ")), prompt);
            assertEquals(0.0, sentiment.score(prompt), prompt);
        }
    }

    @Test
    void askingForMorePromptsThanTheGrammarHasFails() {
        assertThrows(IllegalArgumentException.class, () -> StoryCorpus.prompts(1, 1_000_000));
    }

    private double meanSentiment(List<String> stories) {
        return stories.stream().mapToDouble(sentiment::score).average().orElseThrow();
    }

    private static void assertNoWordFrom(Set<String> forbidden, List<String> stories) {
        for (String story : stories) {
            Arrays.stream(story.toLowerCase(Locale.ROOT).split("[^a-z]+"))
                    .filter(forbidden::contains)
                    .findAny()
                    .ifPresent(word -> fail("'" + word + "' in: " + story));
        }
    }
}
