package dev.dera.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCommandTest {

    @Test
    void writesBothModelFolders(@TempDir Path dir) {
        int exit = DeraCli.commandLine().execute("train", "--out", dir.toString(), "--seed", "1", "--sft-steps", "2",
                "--dpo-steps", "1");

        assertEquals(0, exit);
        for (String model : new String[] {"reference", "aligned"}) {
            for (String file : new String[] {"config.json", "generation_config.json", "model.safetensors",
                    "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"}) {
                assertTrue(Files.isRegularFile(dir.resolve(model).resolve(file)), model + "/" + file);
            }
        }
    }

    @Test
    void rejectsANonPositiveBetaBeforeTraining(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = DeraCli.commandLine();
        commandLine.setErr(new PrintWriter(err));

        int exit = commandLine.execute("train", "--out", dir.toString(), "--beta", "0");

        assertEquals(UserErrorHandler.USER_ERROR, exit);
        assertTrue(err.toString().contains("beta must be positive"), err.toString());
        assertTrue(Files.notExists(dir.resolve("reference")));
    }
}
