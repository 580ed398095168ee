package dev.dera.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.dera.testing.DeraVector;
import dev.dera.testing.ZooModels;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code dera decode} on each zoo family's pair prints the completion ids of the family's first vector. */
class ZooDecodeCommandTest {

    static Stream<String> families() {
        return ZooModels.vectorNames().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void decodePrintsTheExpectedIds(String name) {
        DeraVector expected = ZooModels.vectors(name).get(0);
        String out = CompleteAndDecodeCommandTest.run("decode", "--ref-model", ZooModels.reference(name).toString(),
                "--aligned-model", ZooModels.aligned(name).toString(), "--prompt", expected.prompt,
                "--lambdas", String.valueOf(expected.lambda), "--max-new-tokens",
                String.valueOf(expected.max_new_tokens));
        List<String> lines = out.lines().toList();
        assertEquals(1, lines.size(), out);
        JsonObject row = new Gson().fromJson(lines.get(0), JsonObject.class);
        assertArrayEquals(expected.completion_ids, new Gson().fromJson(row.get("completion_ids"), int[].class),
                "completion ids of " + name + " " + expected);
    }
}
