package dev.dera.lm.safetensors;

import static dev.dera.lm.safetensors.Fixtures.assertRejected;
import static dev.dera.lm.safetensors.Fixtures.fileWithHeader;
import static dev.dera.lm.safetensors.Fixtures.rawFile;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hand-crafted malformed files: each must give a SafetensorsException naming the file and tensor. */
class MalformedSafetensorsTest {

    @TempDir
    Path folder;

    static Stream<Arguments> malformedHeaders() {
        return Stream.of(
                // description, header JSON, data bytes, tensor named (null: none), message fragment
                Arguments.of("invalid JSON", "{\"w\": {\"dtype\": \"F32\",", 0, "w", "malformed header"),
                Arguments.of("single quotes", "{'w': 1}", 0, null, "invalid JSON"),
                Arguments.of("trailing content", "{} {}", 0, null, "invalid JSON"),
                Arguments.of("not an object", "[1, 2]", 0, null, "header must be an object, found an array"),
                Arguments.of("entry not an object", "{\"w\": 5}", 0, "w", "entry must be an object"),
                Arguments.of("duplicate tensor", "{\"w\": " + entry("F32", "[1]", 0, 4) + ", \"w\": "
                        + entry("F32", "[1]", 0, 4) + "}", 4, null, "duplicate key \"w\""),
                Arguments.of("missing dtype", "{\"w\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", 4, "w",
                        "no \"dtype\""),
                Arguments.of("missing shape", "{\"w\": {\"dtype\": \"F32\", \"data_offsets\": [0, 4]}}", 4, "w",
                        "no \"shape\""),
                Arguments.of("missing offsets", "{\"w\": {\"dtype\": \"F32\", \"shape\": [1]}}", 4, "w",
                        "no \"data_offsets\""),
                Arguments.of("dtype not a string", "{\"w\": {\"dtype\": 4, \"shape\": [1], \"data_offsets\": [0, 4]}}",
                        4, "w", "dtype must be a string, found a number"),
                Arguments.of("shape not an array", tensor("F32", "\"1\"", "[0, 4]"), 4, "w",
                        "shape must be an array"),
                Arguments.of("unknown dtype F8_E4M3", tensor("F8_E4M3", "[1]", "[0, 1]"), 1, "w",
                        "unsupported dtype \"F8_E4M3\" (supported: F32, F16, BF16)"),
                Arguments.of("unknown dtype Q4", tensor("Q4", "[1]", "[0, 1]"), 1, "w", "unsupported dtype \"Q4\""),
                Arguments.of("negative dimension", tensor("F32", "[-1]", "[0, 4]"), 4, "w",
                        "shape must hold non-negative integers, found -1"),
                Arguments.of("fractional dimension", tensor("F32", "[1.5]", "[0, 4]"), 4, "w",
                        "non-negative integers, found 1.5"),
                Arguments.of("exponent dimension", tensor("F32", "[1e0]", "[0, 4]"), 4, "w",
                        "non-negative integers, found 1e0"),
                Arguments.of("dimension beyond long", tensor("F32", "[99999999999999999999]", "[0, 4]"), 4, "w",
                        "exceeds " + Long.MAX_VALUE),
                Arguments.of("dimension beyond int", tensor("F32", "[3000000000]", "[0, 4]"), 4, "w",
                        "has a dimension above 2147483647"),
                Arguments.of("element count overflow", tensor("F32", "[2147483647, 2147483647, 2147483647]",
                        "[0, 4]"), 4, "w", "too many elements"),
                Arguments.of("byte length overflow", tensor("F32", "[2147483647, 2147483647, 2]", "[0, 4]"), 4,
                        "w", "too many elements"),
                Arguments.of("shape does not match bytes", tensor("F32", "[2]", "[0, 4]"), 8, "w",
                        "data_offsets span 4 bytes but F32[2] needs 8"),
                Arguments.of("F16 byte size", tensor("F16", "[3]", "[0, 4]"), 8, "w", "F16[3] needs 6"),
                Arguments.of("end beyond data", tensor("F32", "[2]", "[0, 8]"), 4, "w",
                        "end 8 is beyond the data section (4 bytes)"),
                Arguments.of("begin after end", tensor("F32", "[1]", "[8, 4]"), 8, "w", "begin 8 is after end 4"),
                Arguments.of("one offset", tensor("F32", "[1]", "[4]"), 8, "w", "must be [begin, end], found [4]"),
                Arguments.of("negative offset", tensor("F32", "[1]", "[-4, 0]"), 8, "w", "found -4"),
                Arguments.of("overlapping ranges", "{\"a\": " + entry("F32", "[2]", 0, 8) + ", \"b\": "
                        + entry("F32", "[2]", 4, 12) + "}", 12, "b", "data overlaps tensor 'a'"),
                Arguments.of("range inside another", "{\"big\": " + entry("F32", "[4]", 0, 16) + ", \"small\": "
                        + entry("F32", "[1]", 4, 8) + ", \"z\": " + entry("F32", "[1]", 12, 16) + "}", 16,
                        "small", "data overlaps tensor 'big'"),
                Arguments.of("metadata value not a string", "{\"__metadata__\": {\"format\": 1}}", 0, null,
                        "__metadata__ value of \"format\" must be a string, found a number"),
                Arguments.of("metadata not an object", "{\"__metadata__\": \"pt\"}", 0, null,
                        "__metadata__ must be an object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedHeaders")
    void malformedHeaderIsRejected(String description, String json, int dataBytes, String tensor, String fragment)
            throws IOException {
        Path file = fileWithHeader(folder.resolve("bad.safetensors"), json, dataBytes);
        assertRejected(file, tensor, fragment, () -> SafetensorsFile.open(file));
    }

    @Test
    void wellFormedCraftedFileIsAccepted() throws IOException {
        String json = "{\"__metadata__\": {\"k\": \"v\"}, \"b\": " + entry("F16", "[2]", 0, 4) + ", \"a\": "
                + entry("BF16", "[]", 4, 6) + ", \"empty\": " + entry("F32", "[0, 5]", 2, 2)
                + ", \"ignored_field\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [8, 12], \"x\": [[1]]}}";
        Path file = fileWithHeader(folder.resolve("good.safetensors"), json + "   ", 12);
        try (SafetensorsFile opened = SafetensorsFile.open(file)) {
            assertEquals(List.of("a", "b", "empty", "ignored_field"), List.copyOf(opened.tensors().keySet()));
            long dataStart = 8 + json.length() + 3;
            assertEquals(new TensorInfo("a", TensorDType.BF16, new long[0], dataStart + 4, 2), opened.tensor("a"));
            assertEquals(0, opened.read("empty").remaining());
        }
    }

    @Test
    void fileShorterThanTheLengthPrefixIsRejected() throws IOException {
        Path empty = Files.write(folder.resolve("empty.safetensors"), new byte[0]);
        assertRejected(empty, null, "file is 0 bytes, too short", () -> SafetensorsFile.open(empty));
        Path five = Files.write(folder.resolve("five.safetensors"), new byte[5]);
        assertRejected(five, null, "file is 5 bytes, too short", () -> SafetensorsFile.open(five));
    }

    @Test
    void lyingHeaderLengthsAreRejected() throws IOException {
        byte[] header = "{}".getBytes(StandardCharsets.UTF_8);
        Path zero = rawFile(folder.resolve("zero.safetensors"), 0, header, 0);
        assertRejected(zero, null, "header length is 0", () -> SafetensorsFile.open(zero));
        Path pastEnd = rawFile(folder.resolve("past-end.safetensors"), 3, header, 0);
        assertRejected(pastEnd, null, "header length 3 runs past the end of the file (10 bytes)",
                () -> SafetensorsFile.open(pastEnd));
        Path overCap = rawFile(folder.resolve("over-cap.safetensors"), 100_000_001, header, 0);
        assertRejected(overCap, null, "header length 100000001 exceeds the limit of 100000000 bytes",
                () -> SafetensorsFile.open(overCap));
        Path unsignedHuge = rawFile(folder.resolve("unsigned.safetensors"), -1, header, 0);
        assertRejected(unsignedHuge, null, "header length 18446744073709551615 exceeds the limit",
                () -> SafetensorsFile.open(unsignedHuge));
    }

    @Test
    void truncatedDataIsRejected() throws IOException {
        Path truncated = fileWithHeader(folder.resolve("truncated.safetensors"), tensor("F32", "[4]", "[0, 16]"), 10);
        assertRejected(truncated, "w", "end 16 is beyond the data section (10 bytes)",
                () -> SafetensorsFile.open(truncated));
    }

    @Test
    void headerThatIsNotUtf8IsRejected() throws IOException {
        byte[] header = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
        Path file = rawFile(folder.resolve("latin.safetensors"), header.length, header, 0);
        assertRejected(file, null, "not valid UTF-8", () -> SafetensorsFile.open(file));
    }

    @Test
    void deeplyNestedJsonIsRejectedWithoutExhaustingTheStack() throws IOException {
        String json = "{\"w\": {\"x\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}}";
        Path file = fileWithHeader(folder.resolve("deep.safetensors"), json, 0);
        assertRejected(file, "w", "Nesting limit", () -> SafetensorsFile.open(file));
    }

    private static String tensor(String dtype, String shape, String offsets) {
        return "{\"w\": {\"dtype\": \"" + dtype + "\", \"shape\": " + shape + ", \"data_offsets\": " + offsets + "}}";
    }

    private static String entry(String dtype, String shape, long begin, long end) {
        return "{\"dtype\": \"" + dtype + "\", \"shape\": " + shape + ", \"data_offsets\": [" + begin + ", " + end
                + "]}";
    }
}
