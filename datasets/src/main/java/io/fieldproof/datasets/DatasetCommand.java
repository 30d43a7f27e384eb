package io.fieldproof.datasets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@code fieldproof-dataset} command line, checked: what to do, which windows, and where the
 * store's settings come from.
 *
 * @param verb export or list
 * @param query the windows selected
 * @param out the dataset's folder (export), null for list
 * @param storeSecret the Secret in the query's namespace holding the store's settings, or null to
 *     take them from the FIELDPROOF_STORE_* environment variables
 */
record DatasetCommand(Verb verb, DatasetQuery query, Path out, String storeSecret) {

  /** What a command does. */
  enum Verb {
    /** Writes the selected windows and a manifest to a folder. */
    EXPORT,
    /** Prints the selected windows' labels and keys, one per line. */
    LIST
  }

  static final String USAGE =
      String.join(
          "\n",
          "usage: fieldproof-dataset export SELECTION [--store-secret NAME] --out DIR",
          "       fieldproof-dataset list SELECTION [--store-secret NAME]",
          "SELECTION: --namespace NS --group GROUP [--model SHA256]"
              + " [--trigger alarm|fallback|sensorFault|drift|sample]"
              + " [--label trueAlarm|falseAlarm|sensorFault|unknown|unlabeled]...");

  static final Set<String> LABELS =
      Set.of("trueAlarm", "falseAlarm", "sensorFault", "unknown", DatasetQuery.UNLABELED);
  static final Set<String> TRIGGERS = Set.of("alarm", "fallback", "sensorFault", "drift", "sample");

  /** A Secret's name: a DNS subdomain. */
  private static final String SECRET_NAME = "[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?";

  /**
   * @throws IllegalArgumentException naming the flag that is missing, unknown or wrong
   */
  static DatasetCommand parse(String[] args) {
    Verb verb = verb(args);
    String namespace = null;
    String group = null;
    String model = null;
    String trigger = null;
    String out = null;
    String storeSecret = null;
    Set<String> labels = new HashSet<>();
    List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
    while (!rest.isEmpty()) {
      String flag = rest.remove(0);
      if (rest.isEmpty()) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      String value = rest.remove(0);
      switch (flag) {
        case "--namespace", "-n" -> namespace = value;
        case "--group", "-g" -> group = value;
        case "--model" ->
            model = checked(value, value.matches("[0-9a-f]{64}"), "--model takes a sha256");
        case "--trigger" ->
            trigger = checked(value, TRIGGERS.contains(value), "--trigger is one of " + TRIGGERS);
        case "--label" ->
            labels.add(checked(value, LABELS.contains(value), "--label is one of " + LABELS));
        case "--store-secret" ->
            storeSecret =
                checked(
                    value,
                    value.matches(SECRET_NAME),
                    "--store-secret takes a Secret's name (lowercase letters, digits, '-', '.')");
        case "--out" -> {
          if (verb == Verb.LIST) {
            throw new IllegalArgumentException("list takes no --out: it prints to stdout");
          }
          out = value;
        }
        default -> throw new IllegalArgumentException("unknown flag " + flag);
      }
    }
    if (namespace == null || group == null) {
      throw new IllegalArgumentException("--namespace and --group are required");
    }
    if (verb == Verb.EXPORT && out == null) {
      throw new IllegalArgumentException("export needs --out");
    }
    return new DatasetCommand(
        verb,
        new DatasetQuery(namespace, group, model, trigger, labels),
        out == null ? null : Path.of(out),
        storeSecret);
  }

  private static Verb verb(String[] args) {
    if (args.length == 0) {
      throw new IllegalArgumentException("no command: the commands are export and list");
    }
    return switch (args[0]) {
      case "export" -> Verb.EXPORT;
      case "list" -> Verb.LIST;
      default ->
          throw new IllegalArgumentException(
              "unknown command " + args[0] + ": the commands are export and list");
    };
  }

  private static String checked(String value, boolean ok, String problem) {
    if (!ok) {
      throw new IllegalArgumentException(problem + ", not " + value);
    }
    return value;
  }
}
