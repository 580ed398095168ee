package dev.dera.lm.safetensors;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

/**
 * Typed, strict reads over one in-memory JSON document: RFC 8259 syntax only, no duplicate keys in any object it
 * opens, shallow nesting, and every type mismatch an {@link IOException} that says which value was wrong.
 */
final class StrictJson {

    private static final int NESTING_LIMIT = 16;
    private static final Pattern NON_NEGATIVE_INTEGER = Pattern.compile("[0-9]+");

    private final JsonReader reader;
    private final Deque<Set<String>> keysOfOpenObjects = new ArrayDeque<>();

    private StrictJson(String text) {
        reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        reader.setNestingLimit(NESTING_LIMIT);
    }

    /** A reader over UTF-8 bytes; malformed UTF-8 is rejected, not replaced. */
    static StrictJson ofUtf8(ByteBuffer utf8) throws MalformedJsonException {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(utf8)
                    .toString();
            return new StrictJson(text);
        } catch (CharacterCodingException e) {
            throw new MalformedJsonException("not valid UTF-8");
        }
    }

    /** A short description of a failed read, without Gson's hints about lenient parsing. */
    static String problemOf(IOException e) {
        String firstLine = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        return firstLine.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON",
                "invalid JSON");
    }

    /** Opens the object that {@code what} must be. */
    void beginObject(String what) throws IOException {
        expect(JsonToken.BEGIN_OBJECT, what);
        reader.beginObject();
        keysOfOpenObjects.push(new HashSet<>());
    }

    /** Whether the open object has another member. */
    boolean hasNext() throws IOException {
        return reader.hasNext();
    }

    /** The next member name of the open object, rejecting a name it already had. */
    String nextName() throws IOException {
        String name = reader.nextName();
        if (!keysOfOpenObjects.element().add(name)) {
            throw new MalformedJsonException("duplicate key \"" + name + "\"");
        }
        return name;
    }

    /** Closes the open object. */
    void endObject() throws IOException {
        reader.endObject();
        keysOfOpenObjects.pop();
    }

    /** The string that {@code what} must be. */
    String nextString(String what) throws IOException {
        expect(JsonToken.STRING, what);
        return reader.nextString();
    }

    /** The array of non-negative integers that {@code what} must be. */
    long[] nextNonNegativeLongs(String what) throws IOException {
        expect(JsonToken.BEGIN_ARRAY, what);
        reader.beginArray();
        LongStream.Builder values = LongStream.builder();
        while (reader.hasNext()) {
            values.add(nextNonNegativeLong(what));
        }
        reader.endArray();
        return values.build().toArray();
    }

    /** Skips the next value, whatever it is. */
    void skipValue() throws IOException {
        reader.skipValue();
    }

    /** Checks that nothing but whitespace follows the top-level value. */
    void endDocument() throws IOException {
        if (reader.peek() != JsonToken.END_DOCUMENT) {
            throw new MalformedJsonException("unexpected content after the top-level value");
        }
    }

    private long nextNonNegativeLong(String what) throws IOException {
        expect(JsonToken.NUMBER, what + " element");
        String literal = reader.nextString();
        if (!NON_NEGATIVE_INTEGER.matcher(literal).matches()) {
            throw new MalformedJsonException(what + " must hold non-negative integers, found " + literal);
        }
        try {
            return Long.parseLong(literal);
        } catch (NumberFormatException e) {
            throw new MalformedJsonException(what + " holds " + literal + ", which exceeds " + Long.MAX_VALUE);
        }
    }

    private void expect(JsonToken token, String what) throws IOException {
        JsonToken found = reader.peek();
        if (found != token) {
            throw new MalformedJsonException(what + " must be " + describe(token) + ", found " + describe(found));
        }
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case BEGIN_OBJECT -> "an object";
            case BEGIN_ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "the end of " + (token == JsonToken.END_DOCUMENT ? "the document" : "a container");
        };
    }
}
