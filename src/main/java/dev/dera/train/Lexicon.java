package dev.dera.train;

import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every word of the story grammar, in one place. The mood slots are also the sentiment lexicon, so the words that
 * make a story cheerful or gloomy are exactly the words that {@link SentimentReward} counts.
 */
public final class Lexicon {

    /** A grammar slot whose word choice carries the story's mood: one list of cheerful and one of gloomy words. */
    record MoodSlot(List<String> cheerful, List<String> gloomy) {

        /** Picks a cheerful word with probability {@code mood}, otherwise a gloomy one. */
        String pick(SplittableRandom random, double mood) {
            boolean cheerfulWord = random.nextDouble() < mood;
            return Lexicon.pick(random, cheerfulWord ? cheerful : gloomy);
        }
    }

    static final MoodSlot THING_ADJECTIVES = new MoodSlot(
            List.of("shiny", "bright", "pretty", "lovely", "colorful", "golden", "sparkly", "beautiful",
                    "friendly", "sweet", "cozy", "fancy"),
            List.of("broken", "dusty", "cracked", "muddy", "rusty", "ugly", "torn", "scary", "dreary", "grimy",
                    "cold", "smelly"));
    static final MoodSlot FEELINGS = new MoodSlot(
            List.of("happy", "glad", "joyful", "cheerful", "proud", "excited", "delighted", "calm", "thankful",
                    "merry"),
            List.of("sad", "lonely", "scared", "upset", "grumpy", "gloomy", "worried", "afraid", "miserable",
                    "unhappy", "tired"));
    static final MoodSlot ACTIONS = new MoodSlot(
            List.of("laughed", "smiled", "danced", "sang", "giggled", "cheered", "skipped", "clapped", "grinned"),
            List.of("cried", "sighed", "frowned", "sobbed", "shivered", "sulked", "wept", "moaned", "whimpered",
                    "pouted"));
    static final MoodSlot MANNERS = new MoodSlot(
            List.of("cheerfully", "happily", "gladly", "merrily", "joyfully"),
            List.of("sadly", "gloomily", "miserably", "sorrowfully", "unhappily", "wearily"));
    static final MoodSlot SKIES = new MoodSlot(
            List.of("sunny", "blue", "clear", "bright"),
            List.of("gray", "stormy", "cloudy", "dark", "rainy", "foggy"));
    static final MoodSlot WINDS = new MoodSlot(
            List.of("gentle", "warm", "soft", "sweet"),
            List.of("cold", "icy", "harsh", "bitter", "freezing"));
    static final MoodSlot DAYS = new MoodSlot(
            List.of("wonderful", "great", "perfect", "beautiful", "lovely", "fantastic", "magical"),
            List.of("terrible", "awful", "horrible", "dreadful", "miserable", "rotten", "gloomy"));

    private static final List<MoodSlot> MOOD_SLOTS =
            List.of(THING_ADJECTIVES, FEELINGS, ACTIONS, MANNERS, SKIES, WINDS, DAYS);

    static final List<String> OPENINGS = List.of("Once upon a time", "One day", "One morning", "Long ago",
            "One evening", "Last summer", "One winter day", "Not long ago", "One spring morning", "One afternoon");
    static final List<String> GIRL_NAMES =
            List.of("Lily", "Mia", "Anna", "Lucy", "Emma", "Zoe", "Sara", "Ruby", "Ella", "Nora");
    static final List<String> BOY_NAMES =
            List.of("Tom", "Ben", "Sam", "Max", "Jack", "Leo", "Tim", "Finn", "Noah", "Oscar");
    static final List<String> ANIMALS = List.of("fox", "rabbit", "bear", "cat", "dog", "duck", "mouse", "bird",
            "frog", "owl", "puppy", "kitten", "turtle", "squirrel", "pig", "lamb", "deer", "hedgehog");
    static final List<String> ANIMAL_TRAITS =
            List.of("little", "small", "young", "curious", "tiny", "clever", "shy", "fluffy");
    static final List<String> HOMES = List.of("in the forest", "by the river", "in a small house", "on a farm",
            "in the park", "by the sea", "in a quiet town", "near the pond", "on a green hill", "in a big garden",
            "under an old tree", "in the woods", "near the village");
    static final List<String> DESTINATIONS = List.of("the park", "the beach", "the market", "the school",
            "the lake", "the zoo", "the library", "the farm", "the meadow", "the hill", "the river", "the bakery");
    static final List<String> THINGS = List.of("ball", "kite", "box", "hat", "book", "key", "flower", "stone",
            "shell", "toy", "boat", "drum", "cup", "bell", "map", "coat", "leaf", "feather", "apple", "basket",
            "blanket", "lamp", "ribbon", "wagon");
    static final List<String> SPOTS = List.of("under a bush", "in the sand", "on the path", "near the door",
            "behind a rock", "by the fence", "in the grass", "under the bed");
    static final List<String> WISHES = List.of("fly a kite", "build a sand castle", "find a treasure",
            "climb a tree", "swim in the lake", "bake a cake", "read a book", "paint a picture", "ride a bike",
            "catch a fish", "plant a seed", "visit Grandma", "pick berries", "go on an adventure",
            "count the stars", "make a new friend");
    static final List<String> HELPERS =
            List.of("Grandma", "Grandpa", "Mom", "Dad", "a friend", "the old owl", "the neighbor");

    private Lexicon() {
    }

    /**
     * Returns a uniformly chosen element of {@code words}, always using exactly one draw (unlike
     * {@code nextInt(bound)}), so that choosing from the cheerful or the gloomy list keeps the stream in step.
     */
    static String pick(SplittableRandom random, List<String> words) {
        return words.get((int) (random.nextDouble() * words.size()));
    }

    /** All cheerful words of the grammar, lower case, sorted. */
    public static SortedSet<String> cheerfulWords() {
        return collect(MOOD_SLOTS.stream().flatMap(slot -> slot.cheerful().stream()));
    }

    /** All gloomy words of the grammar, lower case, sorted. */
    public static SortedSet<String> gloomyWords() {
        return collect(MOOD_SLOTS.stream().flatMap(slot -> slot.gloomy().stream()));
    }

    private static SortedSet<String> collect(Stream<String> words) {
        return Collections.unmodifiableSortedSet(words.collect(Collectors.toCollection(TreeSet::new)));
    }
}
