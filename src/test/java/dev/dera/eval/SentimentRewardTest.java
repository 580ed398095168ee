package dev.dera.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SentimentRewardTest {

    private final Reward reward = new SentimentReward();

    @Test
    void cheerfulSentencesScorePositive() {
        assertTrue(reward.score("Tom was happy, and they laughed together.") > 0);
        assertTrue(reward.score("What a WONDERFUL day it was!") > 0);
    }

    @Test
    void gloomySentencesScoreNegative() {
        assertTrue(reward.score("Tom was sad, and they cried together.") < 0);
        assertTrue(reward.score("The sky was gray, and the wind was cold.") < 0);
    }

    @Test
    void neutralOrEmptyTextScoresZero() {
        assertEquals(0.0, reward.score("Tom went to the park."));
        assertEquals(0.0, reward.score(""));
        assertEquals(0.0, reward.score("happy sad"));
    }

    @Test
    void scoreIsBalanceOverSquareRootOfWordsPlusOne() {
        assertEquals(2 / Math.sqrt(4), reward.score("happy, glad Tom"), 1e-12);
        assertEquals(-1 / Math.sqrt(4), reward.score("Lily's dog cried."), 1e-12);
    }

    @Test
    void rewardsFindsSentimentByName() {
        Reward found = Rewards.byName("sentiment");
        assertInstanceOf(SentimentReward.class, found);
        assertEquals("sentiment", found.name());
    }

    @Test
    void unknownRewardNameListsKnownNames() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> Rewards.byName("toxicity"));
        assertTrue(error.getMessage().contains("toxicity"), error.getMessage());
        assertTrue(error.getMessage().contains("known rewards: sentiment"), error.getMessage());
    }
}
