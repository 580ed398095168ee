package dev.dera.cli;

import dev.dera.spark.OutputManifest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Prints the run manifest and per-lambda table of a {@code dera generate} output folder. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print the run manifest and the per-lambda table of a dera generate output folder.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "output folder (any Hadoop filesystem)")
    String dir;

    @Override
    public Integer call() {
        System.out.print(OutputManifest.describe(dir));
        return 0;
    }
}
