package dev.dera.train;

import static dev.dera.train.Lexicon.pick;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Writes one story from the grammar: an opening sentence, up to three distinct middle sentences and an ending.
 * Every mood slot picks a cheerful word with probability {@code mood}.
 */
final class StoryWriter {

    private static final int MAX_MIDDLE_SENTENCES = 3;

    private final SplittableRandom random;
    private final double mood;
    private final Hero hero;

    /** The story's main character: how it is introduced, named later, and its pronoun. */
    record Hero(String introduction, String name, String pronoun) {

        /** Draws a named child or an animal such as "a little fox". */
        static Hero draw(SplittableRandom random) {
            int kind = random.nextInt(3);
            if (kind == 0) {
                String girl = pick(random, Lexicon.GIRL_NAMES);
                return new Hero(girl, girl, "she");
            }
            if (kind == 1) {
                String boy = pick(random, Lexicon.BOY_NAMES);
                return new Hero(boy, boy, "he");
            }
            String animal = pick(random, Lexicon.ANIMALS);
            String pronoun = random.nextBoolean() ? "she" : "he";
            return new Hero("a " + pick(random, Lexicon.ANIMAL_TRAITS) + " " + animal, "the " + animal, pronoun);
        }
    }

    StoryWriter(SplittableRandom random, double mood) {
        this.random = random;
        this.mood = mood;
        this.hero = Hero.draw(random);
    }

    /** The opening every story starts with, e.g. "Once upon a time, a little fox". */
    static String opening(String openingWords, Hero hero) {
        return openingWords + ", " + hero.introduction();
    }

    /** Writes the story as one line: sentences separated by single spaces. */
    String write() {
        List<String> sentences = new ArrayList<>();
        sentences.add(introduction());
        List<Supplier<String>> middles = new ArrayList<>(List.of(this::foundThing, this::feeling, this::weather,
                this::wish, this::helperCame, this::action, this::belonging, this::sawAnimal, this::exclamation,
                this::unsure, this::question));
        int middleCount = random.nextInt(MAX_MIDDLE_SENTENCES + 1);
        for (int i = 0; i < middleCount; i++) {
            sentences.add(middles.remove(random.nextInt(middles.size())).get());
        }
        sentences.add(ending());
        return String.join(" ", sentences);
    }

    private String introduction() {
        String start = opening(pick(random, Lexicon.OPENINGS), hero);
        return switch (random.nextInt(4)) {
            case 0 -> start + " lived " + pick(random, Lexicon.HOMES) + ".";
            case 1 -> start + " went to " + pick(random, Lexicon.DESTINATIONS) + ".";
            case 2 -> start + " was playing " + pick(random, Lexicon.HOMES) + ".";
            default -> start + " woke up " + Lexicon.MANNERS.pick(random, mood) + ".";
        };
    }

    private String ending() {
        return switch (random.nextInt(4)) {
            case 0 -> "In the end, " + who() + " went home and felt " + Lexicon.FEELINGS.pick(random, mood) + ".";
            case 1 -> "It was " + withArticle(Lexicon.DAYS.pick(random, mood)) + " day for " + hero.name() + ".";
            case 2 -> "From that day on, " + who() + " was always " + Lexicon.FEELINGS.pick(random, mood) + ".";
            default -> "That night, " + hero.pronoun() + " " + Lexicon.ACTIONS.pick(random, mood)
                    + " and went to sleep.";
        };
    }

    private String foundThing() {
        return sentence(who() + " found " + withArticle(Lexicon.THING_ADJECTIVES.pick(random, mood)) + " "
                + pick(random, Lexicon.THINGS) + " " + pick(random, Lexicon.SPOTS) + ".");
    }

    private String feeling() {
        String very = random.nextBoolean() ? "very " : "";
        return sentence(who() + " felt " + very + Lexicon.FEELINGS.pick(random, mood) + ".");
    }

    private String weather() {
        return "The sky was " + Lexicon.SKIES.pick(random, mood) + ", and the wind was "
                + Lexicon.WINDS.pick(random, mood) + ".";
    }

    private String wish() {
        return sentence(who() + " wanted to " + pick(random, Lexicon.WISHES) + ".");
    }

    private String helperCame() {
        return sentence(pick(random, Lexicon.HELPERS) + " came along, and they "
                + Lexicon.ACTIONS.pick(random, mood) + " together.");
    }

    private String action() {
        return sentence(hero.pronoun() + " " + Lexicon.ACTIONS.pick(random, mood) + " "
                + Lexicon.MANNERS.pick(random, mood) + ".");
    }

    private String belonging() {
        return sentence(hero.name() + "'s " + pick(random, Lexicon.THINGS) + " was "
                + Lexicon.THING_ADJECTIVES.pick(random, mood) + ".");
    }

    private String sawAnimal() {
        return "Then " + who() + " saw " + withArticle(Lexicon.THING_ADJECTIVES.pick(random, mood)) + " "
                + pick(random, Lexicon.ANIMALS) + " " + pick(random, Lexicon.SPOTS) + ".";
    }

    private String exclamation() {
        return "What " + withArticle(Lexicon.DAYS.pick(random, mood)) + " day it was!";
    }

    private String unsure() {
        return sentence(who() + " didn't know what to do.");
    }

    private String question() {
        return "Where did " + hero.name() + "'s " + pick(random, Lexicon.THINGS) + " go?";
    }

    /** The hero's name or pronoun, chosen at random, as the subject of a sentence. */
    private String who() {
        return random.nextBoolean() ? hero.name() : hero.pronoun();
    }

    private static String withArticle(String word) {
        return ("aeiou".indexOf(word.charAt(0)) >= 0 ? "an " : "a ") + word;
    }

    private static String sentence(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
