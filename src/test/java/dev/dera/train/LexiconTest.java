package dev.dera.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LexiconTest {

    @Test
    void noWordIsBothCheerfulAndGloomy() {
        Set<String> both = new HashSet<>(Lexicon.cheerfulWords());
        both.retainAll(Lexicon.gloomyWords());
        assertTrue(both.isEmpty(), "in both lists: " + both);
    }

    @Test
    void bothMoodsHaveSeveralDozenWords() {
        assertTrue(Lexicon.cheerfulWords().size() >= 40, "cheerful: " + Lexicon.cheerfulWords().size());
        assertTrue(Lexicon.gloomyWords().size() >= 40, "gloomy: " + Lexicon.gloomyWords().size());
    }
}
