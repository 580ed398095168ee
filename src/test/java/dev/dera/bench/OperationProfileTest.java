package dev.dera.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperationProfileTest {

    @Test
    void operatorsFallIntoTheirKinds() {
        assertEquals(OperationKind.MATMUL, OperationKind.of("aten::matmul"));
        assertEquals(OperationKind.MATMUL, OperationKind.of("aten::bmm"));
        assertEquals(OperationKind.REDUCTION, OperationKind.of("aten::log_softmax"));
        assertEquals(OperationKind.ELEMENTWISE, OperationKind.of("aten::mul"));
        assertEquals(OperationKind.COPY, OperationKind.of("aten::index_put_"));
        assertEquals(OperationKind.VIEW, OperationKind.of("aten::reshape"));
        assertEquals(OperationKind.OTHER, OperationKind.of("aten::some_new_operator"));
    }

    @Test
    void aProfileSplitsEachStepIntoItsOperatorsAndTheTimeBetweenThem() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.randomNormal(new Shape(64, 64));
            OperationProfile profile = OperationProfile.measure("m", "w", () -> {
                for (int step = 0; step < 3; step++) {
                    a.matMul(a).add(a).softmax(-1);
                }
                return 3;
            });
            assertEquals(3, profile.steps());
            assertEquals(9, profile.operations(), "a matmul, an add and a softmax per step");
            assertTrue(profile.perStep(OperationKind.MATMUL) > 0, profile.markdownRow());
            assertTrue(profile.perStep(OperationKind.ELEMENTWISE) > 0, profile.markdownRow());
            assertTrue(profile.perStep(OperationKind.REDUCTION) > 0, profile.markdownRow());
            assertEquals(0, profile.perStep(OperationKind.COPY), profile.markdownRow());
            double parts = Arrays.stream(OperationKind.values()).mapToDouble(profile::perStep).sum()
                    + profile.outsidePerStep();
            assertEquals(profile.wallPerStep(), parts, 1e-9);
            assertEquals(columns(OperationProfile.markdownHeader().lines().findFirst().orElseThrow()),
                    columns(profile.markdownRow()));
        }
    }

    @Test
    void theStepBoundAddsOnlyTheExtraMatmulTimeToTheSingleStep() {
        ProfileSection section = new ProfileSection();
        section.addSteps(profile("single", 10, 4), profile("DeRa", 15, 7));
        String printed = print(section);
        assertTrue(printed.contains("take 3.00 ms more"), printed);
        assertTrue(printed.contains("would be 1.30."), printed);
        assertEquals(2, printed.lines().filter(line -> line.startsWith("| pair |")).count(), printed);
    }

    @Test
    void theForwardBoundIsTheMeasuredRatioOverTheMatmulsShare() {
        ProfileSection section = new ProfileSection();
        section.addForward(profile("forward", 40, 30), 0.6);
        String printed = print(section);
        assertTrue(printed.contains("take 75% of the forward step"), printed);
        assertTrue(printed.contains("ratio of 0.600 they run at 0.80 of"), printed);
    }

    @Test
    void anEmptySectionPrintsNothing() {
        assertEquals("", print(new ProfileSection()));
    }

    private static OperationProfile profile(String work, double wallMillis, double matmulMillis) {
        Map<OperationKind, Double> millis = new EnumMap<>(OperationKind.class);
        for (OperationKind kind : OperationKind.values()) {
            millis.put(kind, kind == OperationKind.MATMUL ? matmulMillis : 0.0);
        }
        return new OperationProfile("pair", work, 1, wallMillis, 100, millis);
    }

    private static String print(ProfileSection section) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        section.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static long columns(String markdownLine) {
        return markdownLine.chars().filter(c -> c == '|').count();
    }
}
