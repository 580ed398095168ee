package dev.dera.eval;

import dev.dera.train.Lexicon;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Transparent lexicon sentiment: {@code (cheerful words - gloomy words) / sqrt(words + 1)}, with the cheerful and
 * gloomy words of {@link Lexicon}. Words are runs of letters (an inner apostrophe included), compared in lower
 * case. Positive means cheerful, negative gloomy, 0 neutral or empty.
 */
public final class SentimentReward implements Reward {

    /** The name of this reward. */
    public static final String NAME = "sentiment";

    private static final long serialVersionUID = 1L;
    private static final Pattern WORD = Pattern.compile("\\p{L}+(?:'\\p{L}+)*");
    private static final Set<String> CHEERFUL = Lexicon.cheerfulWords();
    private static final Set<String> GLOOMY = Lexicon.gloomyWords();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double score(String text) {
        int words = 0;
        int balance = 0;
        Matcher matcher = WORD.matcher(text);
        while (matcher.find()) {
            String word = matcher.group().toLowerCase(Locale.ROOT);
            words++;
            if (CHEERFUL.contains(word)) {
                balance++;
            } else if (GLOOMY.contains(word)) {
                balance--;
            }
        }
        return balance / Math.sqrt(words + 1.0);
    }
}
