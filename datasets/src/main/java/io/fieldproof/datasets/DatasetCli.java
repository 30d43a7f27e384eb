package io.fieldproof.datasets;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fieldproof.api.v1alpha1.CaptureLabel;
import java.io.PrintStream;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code fieldproof-dataset export|list}: the windows of one group captured in the field, with
 * their labels, as a dataset or as a list of keys to label (docs/field-data.md, "Datasets"). Labels
 * (and the store's Secret, with {@code --store-secret}) come from the cluster kubectl points at
 * (KUBECONFIG), windows from the capture store ({@link StoreSettings}).
 */
public final class DatasetCli {

  private DatasetCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /**
   * Runs one command line with {@code env} for the store's settings (unless {@code --store-secret}
   * names a Secret); the cluster is the one the default kubeconfig names (KUBECONFIG, or the {@code
   * kubeconfig} system property). {@code export} prints a summary line to {@code out}; {@code list}
   * prints only {@code <label>\t<key>} lines to {@code out} and its summary to {@code err}.
   *
   * @return 0 when it exported or listed, 2 for a bad command line or setting, 1 when it failed
   */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    DatasetCommand command;
    try {
      command = DatasetCommand.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.println(DatasetCommand.USAGE);
      return 2;
    }
    String namespace = command.query().namespace();
    try (KubernetesClient kubernetes = new KubernetesClientBuilder().build()) {
      StoreSettings settings =
          command.storeSecret() == null
              ? StoreSettings.fromEnvironment(env)
              : StoreSecret.read(kubernetes, namespace, command.storeSecret());
      try (S3Client s3 = settings.client()) {
        WindowStore store = new WindowStore(s3, settings.bucket());
        LabelBook labels =
            LabelBook.of(
                kubernetes.resources(CaptureLabel.class).inNamespace(namespace).list().getItems());
        switch (command.verb()) {
          case EXPORT -> export(command, new DatasetExport(store, labels), out, err);
          case LIST -> list(command, new WindowSelection(store, labels), out, err);
        }
      }
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      err.println("error: " + withCauses(e));
      return 1;
    }
  }

  /** {@code e} and what caused it, e.g. the refused connection under a failed request. */
  private static String withCauses(Throwable e) {
    StringBuilder text = new StringBuilder(e.toString());
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      text.append("\n  caused by: ").append(cause);
    }
    return text.toString();
  }

  private static void export(
      DatasetCommand command, DatasetExport export, PrintStream out, PrintStream err) {
    DatasetExport.Summary summary = export.export(command.query(), command.out());
    out.println(
        "exported "
            + summary.windows()
            + " windows to "
            + command.out()
            + " "
            + summary.byLabel()
            + (summary.skipped() > 0 ? ", skipped " + summary.skipped() : ""));
    summary.problems().forEach(p -> err.println("skipped: " + p));
  }

  private static void list(
      DatasetCommand command, WindowSelection selection, PrintStream out, PrintStream err) {
    WindowSelection.Result result = selection.select(command.query());
    result.windows().forEach(w -> out.println(w.label() + "\t" + w.key()));
    err.println(
        "listed "
            + result.windows().size()
            + " windows "
            + result.byLabel()
            + (result.notWindows().isEmpty() ? "" : ", skipped " + result.notWindows().size()));
    result.notWindows().forEach(p -> err.println("skipped: " + p));
  }
}
