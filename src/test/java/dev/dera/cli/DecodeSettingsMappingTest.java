package dev.dera.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dera.decode.DecodeOption;
import dev.dera.decode.DecodeSettings;
import dev.dera.decode.StopConditions;
import dev.dera.realign.SamplingParams;
import dev.dera.spark.DeraTransformer;
import dev.dera.spark.JobConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.ml.param.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The job config, the command-line options of decode and generate, and DeraTransformer's Params all map onto one
 * {@link DecodeSettings}: equal inputs give equal records, and the defaults, flags and docs come from the
 * {@link DecodeOption} table.
 */
class DecodeSettingsMappingTest {
    /** A value for every option, none of them its default, in the job config's text form. */
    private static final Map<DecodeOption, String> TEXT = Map.of(
            DecodeOption.LAMBDAS, "0.25, 3",
            DecodeOption.SAMPLES, "3",
            DecodeOption.SEED, "11",
            DecodeOption.MAX_NEW_TOKENS, "9",
            DecodeOption.TEMPERATURE, "0.7",
            DecodeOption.TOP_K, "5",
            DecodeOption.TOP_P, "0.8",
            DecodeOption.MIN_P, "0.05",
            DecodeOption.STOP_STRINGS, "[\"x\", \"The end\"]");
    private static final DecodeSettings EXPECTED = new DecodeSettings(new double[] {0.25, 3}, 3, 11,
            new SamplingParams(0.7, 5, 0.8, 0.05), new StopConditions(9, Set.of(), List.of("x", "The end")));

    @Test
    void theTestValuesCoverEveryOptionWithANonDefaultValue() {
        assertEquals(Set.of(DecodeOption.values()), TEXT.keySet());
        for (DecodeOption option : DecodeOption.values()) {
            assertFalse(Objects.deepEquals(option.defaultValue(), option.valueIn(EXPECTED)), option.key());
        }
    }

    @Test
    void jobConfigCommandLineAndTransformerGiveEqualRecords() {
        JobConfig config = JobConfig.resolve(required(), configText());
        assertEquals(EXPECTED, config.decode());

        assertEquals(EXPECTED, decodeCommand(flags()).decoding.settings());
        GenerateCommand generate = generateCommand(flags());
        assertEquals(EXPECTED, generate.resolveConfig().decode());

        assertEquals(EXPECTED, DeraTransformer.fromConfig(config).getDecodeSettings());
        DeraTransformer typed = new DeraTransformer().setLambdas(new double[] {0.25, 3}).setSamples(3).setSeed(11)
                .setMaxNewTokens(9).setTemperature(0.7).setTopK(5).setTopP(0.8).setMinP(0.05)
                .setStopStrings(new String[] {"x", "The end"});
        assertEquals(EXPECTED, typed.getDecodeSettings());
        assertEquals(EXPECTED, new DeraTransformer().setDecodeSettings(EXPECTED).getDecodeSettings());
    }

    @Test
    void withNothingGivenEveryPlaceHasTheTablesDefaults() {
        DecodeSettings defaults = DecodeSettings.defaults();
        assertEquals(defaults, JobConfig.resolve(required()).decode());
        assertEquals(defaults, decodeCommand(List.of()).decoding.settings());
        assertEquals(defaults, generateCommand(List.of()).resolveConfig().decode());
        assertEquals(defaults, new DeraTransformer().getDecodeSettings());
    }

    @Test
    void generateOptionsOverrideAConfFileOnlyWhereGiven(@TempDir Path dir)
            throws IOException {
        Path conf = dir.resolve("job.conf");
        Files.writeString(conf, "decode.samples = 2\nsampling.top_p = 0.9\n");
        List<String> args = new ArrayList<>(List.of("--conf", conf.toString(), "--top-p", "0.5"));
        DecodeSettings settings = generateCommand(args).resolveConfig().decode();
        assertEquals(2, settings.samples());
        assertEquals(0.5, settings.sampling().topP());
    }

    @Test
    void theTransformersParamsComeFromTheTable() {
        DeraTransformer transformer = new DeraTransformer();
        for (DecodeOption option : DecodeOption.values()) {
            Param<Object> param = transformer.getParam(option.param());
            assertEquals(option.doc(), param.doc());
            assertTrue(Objects.deepEquals(option.defaultValue(), transformer.getDefault(param).get()), option.key());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DeraTransformer().setLambdas(new double[] {1, 1.0}).getDecodeSettings());
        assertEquals("decode.lambdas lists a lambda twice: [1.0, 1.0]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new DeraTransformer().setStopStrings(new String[] {"x", null}).getDecodeSettings());
        assertEquals("stop.strings must not hold an empty string or null", e.getMessage());
    }

    @Test
    void aBadOptionIsOneLineAndStatusTwoBeforeAnyModelLoads() {
        StringWriter err = new StringWriter();
        int status = DeraCli.commandLine().setErr(new PrintWriter(err)).execute(decodeArgs(
                List.of("--samples", "0")));
        assertEquals(UserErrorHandler.USER_ERROR, status);
        assertEquals("dera: decode.samples must be at least 1, got 0", err.toString().strip());
    }

    @Test
    void helpAndConfReadmeShowEveryOptionWithTheTablesDefault() throws IOException {
        StringWriter out = new StringWriter();
        DeraCli.commandLine().setOut(new PrintWriter(out)).execute("decode", "--help");
        List<String> readme = Files.readAllLines(Path.of("conf/README.md"));
        for (DecodeOption option : DecodeOption.values()) {
            assertTrue(out.toString().contains(option.flag()), option.flag());
            String row = "| `" + option.key() + "` | `" + option.defaultText() + "` | `" + option.flag() + "`";
            assertTrue(readme.stream().anyMatch(line -> line.startsWith(row)), row);
        }
        assertTrue(out.toString().contains("(default: 0,0.5,1,2)"), out.toString());
    }

    private static Map<String, String> required() {
        return Map.of("model.ref", "/m/ref", "model.aligned", "/m/aligned", "input.path", "/data/prompts.jsonl",
                "output.path", "/data/out");
    }

    private static Map<String, String> configText() {
        Map<String, String> text = new LinkedHashMap<>();
        TEXT.forEach((option, value) -> text.put(option.key(), value));
        return text;
    }

    /** The test values as flags; the stop strings as a repeated --stop. */
    private static List<String> flags() {
        List<String> args = new ArrayList<>();
        TEXT.forEach((option, value) -> {
            if (option != DecodeOption.STOP_STRINGS) {
                args.addAll(List.of(option.flag(), value));
            }
        });
        args.addAll(List.of("--stop", "x", "--stop", "The end"));
        return args;
    }

    private static String[] decodeArgs(List<String> options) {
        List<String> args = new ArrayList<>(List.of("decode", "--ref-model", "/m/ref", "--aligned-model",
                "/m/aligned", "--prompt", "Once"));
        args.addAll(options);
        return args.toArray(new String[0]);
    }

    private static String[] generateArgs(List<String> options) {
        List<String> args = new ArrayList<>(List.of("generate", "--ref-model", "/m/ref", "--aligned-model",
                "/m/aligned", "--input", "/data/prompts.jsonl", "--output", "/data/out"));
        args.addAll(options);
        return args.toArray(new String[0]);
    }

    private static DecodeCommand decodeCommand(List<String> options) {
        return parsed(decodeArgs(options));
    }

    private static GenerateCommand generateCommand(List<String> options) {
        return parsed(generateArgs(options));
    }

    /** The subcommand's object after picocli parsed {@code args} (whose first is the subcommand). */
    private static <T> T parsed(String[] args) {
        CommandLine cli = DeraCli.commandLine();
        cli.parseArgs(args);
        return cli.getSubcommands().get(args[0]).getCommand();
    }
}
