package dev.dera.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dera.realign.SamplingParams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one decode settings record: its defaults, its parse of job-config text and every check, each in one line. */
class DecodeSettingsTest {

    @Test
    void defaultsAreTheTablesDefaults() {
        DecodeSettings defaults = DecodeSettings.defaults();
        assertArrayEquals(new double[] {0, 0.5, 1, 2}, defaults.lambdas());
        assertEquals(1, defaults.samples());
        assertEquals(0L, defaults.seed());
        assertEquals(64, defaults.maxNewTokens());
        assertEquals(SamplingParams.greedy(), defaults.sampling());
        assertEquals(List.of(), defaults.stopStrings());
        assertEquals(4, defaults.rowsPerPrompt());
        assertEquals(4096, DecodeSettings.parse(Map.of("decode.lambdas", "0,1", "decode.samples", "2048"))
                .rowsPerPrompt(), "the most rows per prompt are allowed");
        assertEquals(defaults, DecodeSettings.parse(Map.of("job.chunks", "3")), "other keys are not decode settings");
        for (DecodeOption option : DecodeOption.values()) {
            assertTrue(Objects.deepEquals(option.defaultValue(), option.valueIn(defaults)), option.key());
        }
    }

    @Test
    void jobConfigTextParsesIntoTypedValues() {
        DecodeSettings settings = DecodeSettings.parse(Map.of("decode.lambdas", " 0.25, 3", "decode.samples", " 2",
                "decode.seed", "-7", "decode.max_new_tokens", "9", "sampling.temperature", "0.7",
                "sampling.top_k", "5", "sampling.top_p", "0.8", "sampling.min_p", "0.05",
                "stop.strings", "[\"\\n\\n\", \"The end\"]"));
        assertEquals(new DecodeSettings(new double[] {0.25, 3}, 2, -7, new SamplingParams(0.7, 5, 0.8, 0.05),
                new StopConditions(9, Set.of(), List.of("\n\n", "The end"))), settings);
        assertInstanceOf(Integer.class, DecodeOption.SAMPLES.parse("2"));
        assertInstanceOf(Long.class, DecodeOption.SEED.parse("2"));
        assertInstanceOf(Double.class, DecodeOption.TOP_P.parse("1"));
    }

    @Test
    void everyBadValueFailsWithOneLineNamingTheSetting() {
        assertFails(Map.of("decode.lambdas", ""), "decode.lambdas: \"\" is not a number");
        assertFails(Map.of("decode.lambdas", "0,abc"), "decode.lambdas: \"abc\" is not a number");
        assertFails(Map.of("decode.lambdas", "0,NaN"), "decode.lambdas: every lambda must be finite, got NaN");
        assertFails(Map.of("decode.lambdas", "Infinity"), "every lambda must be finite, got Infinity");
        assertFails(Map.of("decode.lambdas", "0,-0.0"), "decode.lambdas lists a lambda twice: [0.0, -0.0]");
        assertFails(Map.of("decode.lambdas", "1,1.0"), "lists a lambda twice");
        assertFails(Map.of("decode.samples", "0"), "decode.samples must be at least 1, got 0");
        assertFails(Map.of("decode.samples", "two"), "decode.samples must be an integer, got \"two\"");
        assertFails(Map.of("decode.samples", "2147483648"), "decode.samples must be an integer");
        assertFails(Map.of("decode.samples", "2147483647"), "at most 4096 are allowed");
        assertFails(Map.of("decode.lambdas", "0,1", "decode.samples", "2049"),
                "decode.lambdas x decode.samples = 2 x 2049 rows per prompt; at most 4096 are allowed");
        assertFails(Map.of("decode.seed", "1.5"), "decode.seed must be an integer, got \"1.5\"");
        assertFails(Map.of("decode.max_new_tokens", "0"), "decode.max_new_tokens must be at least 1, got 0");
        assertFails(Map.of("sampling.temperature", "-1"), "sampling: temperature must be a finite number >= 0");
        assertFails(Map.of("sampling.temperature", "warm"), "sampling.temperature must be a number, got \"warm\"");
        assertFails(Map.of("sampling.top_k", "-1"), "sampling: topK must be >= 0");
        assertFails(Map.of("sampling.top_p", "0"), "sampling: topP must be in (0, 1]");
        assertFails(Map.of("sampling.min_p", "1"), "sampling: minP must be in [0, 1)");
        assertFails(Map.of("stop.strings", "\\n"), "stop.strings must be a JSON array of non-null strings");
        assertFails(Map.of("stop.strings", "[null]"), "stop.strings must be a JSON array of non-null strings");
        assertFails(Map.of("stop.strings", "[\"\"]"), "stop.strings must not hold an empty string");
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> new DecodeSettings(
                new double[0], 1, 0, SamplingParams.greedy(), StopConditions.maxNewTokens(1)));
        assertEquals("decode.lambdas: at least one lambda is needed", none.getMessage());
    }

    @Test
    void negativeZeroIsZeroAndTheLambdasCannotBeChangedFromOutside() {
        double[] given = {-0.0, 1};
        DecodeSettings settings = new DecodeSettings(given, 1, 0, SamplingParams.greedy(),
                StopConditions.maxNewTokens(4));
        given[1] = 5;
        settings.lambdas()[1] = 6;
        assertEquals("[0.0, 1.0]", Arrays.toString(settings.lambdas()));
    }

    @Test
    void equalValuesGiveEqualRecordsAndSurviveSerialization() throws IOException, ClassNotFoundException {
        DecodeSettings a = DecodeSettings.parse(Map.of("decode.lambdas", "0,1", "stop.strings", "[\"x\"]"));
        DecodeSettings b = DecodeSettings.parse(Map.of("decode.lambdas", "0.0, 1.0", "stop.strings", "[ \"x\" ]"));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, DecodeSettings.parse(Map.of("decode.lambdas", "0,1")));
        assertNotEquals(a, DecodeSettings.parse(Map.of("decode.lambdas", "0,1", "stop.strings", "[\"x\"]",
                "decode.seed", "1")));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(a);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(a, in.readObject(), "executors get the same settings");
        }
    }

    private static void assertFails(Map<String, String> textByKey, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DecodeSettings.parse(textByKey));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
