package dev.dera.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dera.cli.DeraCli;
import dev.dera.testing.SharedModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The generate command's option handling; each case fails on the driver before a Spark session starts work. */
class GenerateCommandTest {
    @TempDir
    Path dir;

    @Test
    void commandLineOptionsOverrideTheConfFileAndInvalidValuesExitWithStatus2() throws Exception {
        Path conf = dir.resolve("job.conf");
        Files.writeString(conf, "model.ref = " + SharedModels.reference() + "\nmodel.aligned = "
                + SharedModels.aligned() + "\nsampling.top_p = 0.9\n");
        String err = runExpectingUserError("generate", "--conf", conf.toString(), "--input", "p.jsonl",
                "--output", dir.resolve("out").toString(), "--top-p", "1.5");
        assertTrue(err.contains("topP must be in (0, 1]"), err);

        err = runExpectingUserError("generate", "--conf", conf.toString(), "--input", "p.jsonl",
                "--output", dir.resolve("out").toString(), "--set", "decode.lambdas=0,Infinity");
        assertTrue(err.contains("every lambda must be finite"), err);

        err = runExpectingUserError("generate", "--conf", conf.toString(), "--input", "p.jsonl",
                "--output", dir.resolve("out").toString(), "--device", "gpu:1");
        assertTrue(err.contains("drop --device"), err);
    }

    @Test
    void modelsWithDifferentTokenizersFailBeforeAnyTask() throws Exception {
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        for (String file : new String[] {"config.json", "generation_config.json", "tokenizer_config.json",
            "model.safetensors"}) {
            Files.copy(SharedModels.aligned().resolve(file), other.resolve(file));
        }
        Files.writeString(other.resolve("tokenizer.json"), Files.readString(SharedModels.aligned()
                .resolve("tokenizer.json")).replaceFirst("\"<unk>\"", "\"<UNKNOWN>\""));
        Path input = dir.resolve("p.jsonl");
        Files.writeString(input, "{\"prompt_id\": \"a\", \"prompt\": \"Once\"}\n");
        String err = runExpectingUserError("generate", "--ref-model", SharedModels.reference().toString(),
                "--aligned-model", other.toString(), "--input", input.toString(), "--output",
                dir.resolve("out").toString(), "--master", "local[1]", "--set", "spark.ui.enabled=false");
        assertTrue(err.contains("different tokenizers"), err);
        assertEquals(false, Files.exists(dir.resolve("out")), "nothing is written");
    }

    private static String runExpectingUserError(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = DeraCli.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute(args), err.toString());
        return err.toString();
    }
}
