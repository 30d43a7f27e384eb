package io.fieldproof.datasets;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fieldproof.api.v1alpha1.CaptureLabel;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code fieldproof-dataset export}: the windows of one group captured in the field, with their
 * labels, as a dataset (docs/field-data.md, "Datasets"). Labels come from the cluster kubectl
 * points at (KUBECONFIG), windows from the capture store ({@link StoreSettings}).
 */
public final class DatasetCli {

  private static final String USAGE =
      "usage: fieldproof-dataset export --namespace NS --group GROUP [--model SHA256]"
          + " [--trigger alarm|fallback|sensorFault|drift|sample]"
          + " [--label trueAlarm|falseAlarm|sensorFault|unknown|unlabeled]... --out DIR";

  private DatasetCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /**
   * Runs one command line with {@code env} for the store's settings; the cluster is the one the
   * default kubeconfig names (KUBECONFIG, or the {@code kubeconfig} system property).
   *
   * @return 0 when it exported, 2 for a bad command line or setting, 1 when the export failed
   */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    Arguments parsed;
    try {
      parsed = Arguments.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    try (S3Client s3 = StoreSettings.fromEnvironment(env).client();
        KubernetesClient kubernetes = new KubernetesClientBuilder().build()) {
      List<CaptureLabel> labels =
          kubernetes
              .resources(CaptureLabel.class)
              .inNamespace(parsed.query().namespace())
              .list()
              .getItems();
      DatasetExport.Summary summary =
          new DatasetExport(
                  new WindowStore(s3, StoreSettings.fromEnvironment(env).bucket()),
                  LabelBook.of(labels))
              .export(parsed.query(), parsed.out());
      out.println(
          "exported "
              + summary.windows()
              + " windows to "
              + parsed.out()
              + " "
              + summary.byLabel()
              + (summary.skipped() > 0 ? ", skipped " + summary.skipped() : ""));
      summary.problems().forEach(p -> err.println("skipped: " + p));
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      err.println("error: " + e);
      return 1;
    }
  }

  /** The command line, checked. */
  record Arguments(DatasetQuery query, Path out) {

    static final Set<String> LABELS =
        Set.of("trueAlarm", "falseAlarm", "sensorFault", "unknown", DatasetQuery.UNLABELED);
    static final Set<String> TRIGGERS =
        Set.of("alarm", "fallback", "sensorFault", "drift", "sample");

    static Arguments parse(String[] args) {
      if (args.length == 0 || !args[0].equals("export")) {
        throw new IllegalArgumentException("the only command is export");
      }
      String namespace = null;
      String group = null;
      String model = null;
      String trigger = null;
      String out = null;
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
          case "--out" -> out = value;
          default -> throw new IllegalArgumentException("unknown flag " + flag);
        }
      }
      if (namespace == null || group == null || out == null) {
        throw new IllegalArgumentException("--namespace, --group and --out are required");
      }
      return new Arguments(
          new DatasetQuery(namespace, group, model, trigger, labels), Path.of(out));
    }

    private static String checked(String value, boolean ok, String problem) {
      if (!ok) {
        throw new IllegalArgumentException(problem + ", not " + value);
      }
      return value;
    }
  }
}
