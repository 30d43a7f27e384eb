package io.fieldproof.model.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * The model command line: {@code inspect}, {@code run}, {@code fit}. Results go to stdout; errors
 * go to stderr as {@code fieldproof-model: error: REASON} with a non-zero exit: 2 usage, unreadable
 * file or bad JSON; 3 model refused; 4 model does not fit; 1 an unexpected failure.
 */
public final class ModelCli {

  private static final String USAGE =
      String.join(
          "\n",
          "usage: fieldproof-model COMMAND ...",
          "  " + InspectCommand.USAGE,
          "  " + RunCommand.USAGE,
          "  " + FitCommand.USAGE,
          "chip profiles: esp32, esp32s3, stm32f4, stm32l4; CAPS.json: the HELLO capabilities"
              + " object {\"operators\":[...],\"arenaBytes\":N,\"slotBytes\":N}");

  private ModelCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, System.in));
  }

  /** Runs one command; returns the exit code. */
  public static int run(String[] argv, PrintStream out, PrintStream err, InputStream in) {
    if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h")) {
      (argv.length == 0 ? err : out).println(USAGE);
      return argv.length == 0 ? CliException.USAGE : 0;
    }
    List<String> rest = List.of(argv).subList(1, argv.length);
    try {
      return switch (argv[0]) {
        case "inspect" -> InspectCommand.run(rest, out);
        case "run" -> RunCommand.run(rest, out, in);
        case "fit" -> FitCommand.run(rest, out);
        default ->
            throw new CliException(CliException.USAGE, "unknown command " + argv[0] + "\n" + USAGE);
      };
    } catch (CliException e) {
      out.flush();
      err.println("fieldproof-model: error: " + e.getMessage());
      return e.exitCode();
    } catch (RuntimeException e) {
      out.flush();
      err.println("fieldproof-model: error: unexpected failure: " + e);
      return 1;
    }
  }
}
