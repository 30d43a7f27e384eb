package io.fieldproof.datasets;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fieldproof.protocol.Sha256;
import io.fieldproof.protocol.capture.CaptureKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a dataset: each selected window as its own file under {@code windows/} (the path is its
 * object key), one line per window in {@code manifest.jsonl} with what the key, the label and the
 * object's metadata say of it, and {@code dataset.json} with the query and the counts. Training
 * code reads the manifest line by line and opens the windows it names.
 */
final class DatasetExport {

  /** What an export wrote. */
  record Summary(int windows, Map<String, Integer> byLabel, int skipped, List<String> problems) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final WindowStore store;
  private final LabelBook labels;

  DatasetExport(WindowStore store, LabelBook labels) {
    this.store = store;
    this.labels = labels;
  }

  Summary export(DatasetQuery query, Path out) {
    WindowSelection.Result selection = new WindowSelection(store, labels).select(query);
    List<ManifestLine> lines = new ArrayList<>();
    Map<String, Integer> byLabel = new TreeMap<>();
    List<String> problems = new ArrayList<>(selection.notWindows());
    for (WindowSelection.Selected selected : selection.windows()) {
      StoredWindow window;
      try {
        window = store.read(selected.key());
      } catch (IllegalStateException e) {
        problems.add(e.getMessage());
        continue;
      }
      write(out.resolve("windows").resolve(selected.key()), window.body());
      lines.add(ManifestLine.of(selected, window));
      byLabel.merge(selected.label(), 1, Integer::sum);
    }
    writeManifest(out.resolve("manifest.jsonl"), lines);
    Summary summary = new Summary(lines.size(), byLabel, problems.size(), List.copyOf(problems));
    writeJson(out.resolve("dataset.json"), description(query, summary));
    return summary;
  }

  private static Map<String, Object> description(DatasetQuery query, Summary summary) {
    Map<String, Object> description = new LinkedHashMap<>();
    description.put("format", "fieldproof-dataset/v1");
    description.put("exportedAt", Instant.now().toString());
    Map<String, Object> selected = new LinkedHashMap<>();
    selected.put("namespace", query.namespace());
    selected.put("group", query.group());
    selected.put("modelSha256", query.modelSha256());
    selected.put("trigger", query.trigger());
    selected.put("labels", query.labels().stream().sorted().toList());
    description.put("query", selected);
    description.put("windows", summary.windows());
    description.put("byLabel", summary.byLabel());
    description.put("skipped", summary.skipped());
    return description;
  }

  private static void writeManifest(Path file, List<ManifestLine> lines) {
    StringBuilder text = new StringBuilder();
    try {
      for (ManifestLine line : lines) {
        text.append(JSON.writeValueAsString(line)).append('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    write(file, text.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void writeJson(Path file, Object value) {
    try {
      write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * One line of the manifest.
   *
   * @param window the window's file, relative to the dataset's folder
   * @param key its object key
   * @param label trueAlarm, falseAlarm, sensorFault, unknown or unlabeled
   * @param note the label's note, or null
   * @param sha256 sha256 of the window's bytes
   * @param bytes its size
   * @param metadata the object's user metadata as the agent uploaded it
   */
  record ManifestLine(
      String window,
      String key,
      String namespace,
      String group,
      String modelSha256,
      String trigger,
      String device,
      String triggeredAt,
      String label,
      String note,
      String sha256,
      int bytes,
      Map<String, String> metadata) {

    static ManifestLine of(WindowSelection.Selected selected, StoredWindow window) {
      CaptureKey key = selected.captureKey();
      String objectKey = selected.key();
      return new ManifestLine(
          "windows/" + objectKey,
          objectKey,
          key.namespace(),
          key.group(),
          key.modelSha256(),
          key.trigger().wireName(),
          key.device(),
          Instant.ofEpochMilli(key.triggeredAtMillis()).toString(),
          selected.label(),
          selected.spec().map(s -> s.note).orElse(null),
          Sha256.hex(window.body()),
          window.body().length,
          new TreeMap<>(window.metadata()));
    }
  }
}
