package dev.dera.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.dera.testing.DeraVector;
import dev.dera.testing.SharedModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one-prompt commands print what the README promises, and bad input is one clear line with status 2. */
class CompleteAndDecodeCommandTest {

    @Test
    void completePrintsTheGreedyCompletionOfTheVector() {
        DeraVector expected = SharedModels.greedyVectors().get(0);
        String out = run("complete", "--model", SharedModels.reference().toString(), "--prompt", expected.prompt,
                "--max-new-tokens", String.valueOf(expected.max_new_tokens));
        assertEquals(expected.completion_text + System.lineSeparator(), out);
    }

    @Test
    void decodePrintsOneJsonLinePerLambdaAndSample() {
        List<DeraVector> vectors = SharedModels.greedyVectors();
        DeraVector halfway = vectors.stream().filter(v -> v.lambda == 0.5).findFirst().orElseThrow();
        String out = run("decode", "--ref-model", SharedModels.reference().toString(), "--aligned-model",
                SharedModels.aligned().toString(), "--prompt", halfway.prompt, "--lambdas", "0.5,1",
                "--samples", "2", "--max-new-tokens", String.valueOf(halfway.max_new_tokens));
        List<String> lines = out.lines().toList();
        assertEquals(4, lines.size());
        JsonObject first = new Gson().fromJson(lines.get(0), JsonObject.class);
        assertEquals(0.5, first.get("lambda").getAsDouble());
        assertEquals(0, first.get("sample_index").getAsInt());
        assertArrayEquals(halfway.completion_ids, new Gson().fromJson(first.get("completion_ids"), int[].class));
        assertEquals(halfway.completion_text, first.get("completion_text").getAsString());
        assertEquals(halfway.kl_to_ref, first.get("kl_to_ref").getAsDouble(), 1e-3);
        assertEquals(1, new Gson().fromJson(lines.get(3), JsonObject.class).get("sample_index").getAsInt());
    }

    @Test
    void decodeExitsThreeWhenARowFailed() {
        PrintStream original = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            assertEquals(3, DeraCli.commandLine().execute("decode", "--ref-model", SharedModels.reference().toString(),
                    "--aligned-model", SharedModels.aligned().toString(), "--prompt",
                    "Once upon a time there was a dog. ".repeat(80), "--lambdas", "0", "--max-new-tokens", "2"));
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void generateHelpListsOnlyOptionsGenerateAccepts() {
        StringWriter out = new StringWriter();
        assertEquals(0, DeraCli.commandLine().setOut(new PrintWriter(out)).execute("generate", "--help"));
        assertTrue(out.toString().contains("--dtype") && out.toString().contains("--lambdas"), out.toString());
        assertFalse(out.toString().contains("--device"), out.toString());
    }

    @Test
    void aMissingModelFolderIsOneLineAndStatusTwo() {
        StringWriter err = new StringWriter();
        int status = DeraCli.commandLine().setErr(new PrintWriter(err))
                .execute("complete", "--model", "/nonexistent/model", "--prompt", "hi");
        assertEquals(2, status);
        assertTrue(err.toString().startsWith("dera: model folder /nonexistent/model does not exist"), err.toString());
    }

    static String run(String... args) {
        return runExpecting(0, args);
    }

    /** Runs the CLI, asserts its exit status and returns what it printed on standard output. */
    static String runExpecting(int status, String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(status, DeraCli.commandLine().execute(args));
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
