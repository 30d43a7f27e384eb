package io.fieldproof.model.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of one command: positionals and {@code --name value} options (or {@code
 * --name=value}); names in {@code flags} take no value.
 */
final class Args {

  private final List<String> positionals = new ArrayList<>();
  private final Map<String, String> options = new HashMap<>();

  private Args() {}

  /**
   * Parses {@code argv}.
   *
   * @throws CliException on an option not in {@code valued} or {@code flags}, or a missing value
   */
  static Args parse(List<String> argv, Set<String> valued, Set<String> flags) {
    Args args = new Args();
    for (int i = 0; i < argv.size(); i++) {
      String arg = argv.get(i);
      if (!arg.startsWith("--") || arg.equals("--")) {
        args.positionals.add(arg);
        continue;
      }
      String name = arg.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (flags.contains(name)) {
        if (value != null) {
          throw new CliException(CliException.USAGE, "option --" + name + " takes no value");
        }
        args.options.put(name, "true");
      } else if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 >= argv.size()) {
            throw new CliException(CliException.USAGE, "option --" + name + " needs a value");
          }
          value = argv.get(++i);
        }
        args.options.put(name, value);
      } else {
        throw new CliException(CliException.USAGE, "unknown option --" + name);
      }
    }
    return args;
  }

  List<String> positionals() {
    return positionals;
  }

  /** The single positional argument, named {@code what} in the error when absent or repeated. */
  String onePositional(String what) {
    if (positionals.size() != 1) {
      throw new CliException(
          CliException.USAGE,
          "expected one " + what + ", got " + (positionals.isEmpty() ? "none" : positionals));
    }
    return positionals.get(0);
  }

  String option(String name) {
    return options.get(name);
  }

  boolean flag(String name) {
    return options.containsKey(name);
  }
}
