package io.fieldproof.agent.store;

import io.fieldproof.agent.files.AtomicFiles;
import io.fieldproof.protocol.ModelManifest;
import io.fieldproof.protocol.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model files by content under the agent's state directory: {@code models/<sha256>} for complete
 * models, {@code models/.partial/<sha256>/} for downloads in progress. A complete model is checked
 * against its name every time it is looked up; one that fails is deleted and counts as missing.
 * Everything the store holds stays within a byte budget, and garbage collection deletes what the
 * agent's devices neither run nor will run.
 */
public final class ContentStore {

  private static final Logger LOG = LoggerFactory.getLogger(ContentStore.class);
  private static final String PARTIAL = ".partial";

  private final Path models;
  private final Path partials;
  private final long byteBudget;

  private ContentStore(Path models, long byteBudget) {
    this.models = models;
    this.partials = models.resolve(PARTIAL);
    this.byteBudget = byteBudget;
  }

  /**
   * Opens the store in {@code stateDir/models}, creating it, and deletes what a crash left half
   * written.
   */
  public static ContentStore open(Path stateDir, long byteBudget) throws IOException {
    if (byteBudget < 1) {
      throw new IllegalArgumentException("the byte budget must be positive, not " + byteBudget);
    }
    ContentStore store = new ContentStore(stateDir.resolve("models"), byteBudget);
    Files.createDirectories(store.partials);
    store.deleteTemporaries();
    return store;
  }

  /** The most bytes the store holds, complete and partial models together. */
  public long byteBudget() {
    return byteBudget;
  }

  /**
   * The file of a complete model, verified: empty when there is none, or when its content no longer
   * hashes to its sha256 (the file is then deleted).
   */
  public synchronized Optional<Path> find(String sha256) throws IOException {
    Path file = complete(sha256);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    String actual = digestOf(file);
    if (!actual.equals(sha256)) {
      LOG.warn("model file {} hashes to {}; deleted, it will be fetched again", file, actual);
      Files.deleteIfExists(file);
      return Optional.empty();
    }
    return Optional.of(file);
  }

  /** The chunks of {@code sha256} downloaded so far. */
  public PartialModel partial(String sha256) {
    requireSha(sha256);
    return new PartialModel(partials.resolve(sha256), this);
  }

  /**
   * Joins every chunk of a downloaded model, in order, into its model file and deletes the partial
   * download. Empty when the joined bytes do not hash to the manifest's sha256: the chunks are
   * deleted too, they can never make this model.
   *
   * @throws IOException when a chunk is missing or the disk fails
   */
  public synchronized Optional<Path> assemble(ModelManifest manifest) throws IOException {
    PartialModel partial = partial(manifest.sha256());
    Path target = complete(manifest.sha256());
    Path temp = AtomicFiles.temp(target);
    MessageDigest digest = Sha256.digest();
    try (OutputStream out =
        new DigestOutputStream(
            Files.newOutputStream(
                temp,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE,
                StandardOpenOption.SYNC),
            digest)) {
      for (int i = 0; i < manifest.chunks().size(); i++) {
        Files.copy(partial.chunk(i), out);
      }
    }
    if (!Sha256.hex(digest).equals(manifest.sha256())) {
      Files.deleteIfExists(temp);
      deleteTree(partial.dir());
      return Optional.empty();
    }
    AtomicFiles.moveInto(temp, target);
    deleteTree(partial.dir());
    return Optional.of(target);
  }

  /**
   * Whether a model of {@code size} bytes fits within the budget beside everything else the store
   * holds (what it already holds of that model itself does not count twice).
   */
  public synchronized boolean fits(String sha256, long size) throws IOException {
    long others =
        usedBytes() - bytesOf(complete(sha256)) - bytesOf(partials.resolve(requireSha(sha256)));
    return others + size <= byteBudget;
  }

  /** The bytes of every complete and partial model on disk. */
  public synchronized long usedBytes() throws IOException {
    return bytesOf(models);
  }

  /**
   * Deletes every complete or partial model whose sha256 is not in {@code keep}: pass what the
   * devices run, what they will run, and what is being fetched.
   */
  public synchronized GcReport retainOnly(Set<String> keep) throws IOException {
    List<String> deleted = new ArrayList<>();
    long before = usedBytes();
    for (Path entry : list(models)) {
      String name = entry.getFileName().toString();
      if (Sha256.isHex(name) && !keep.contains(name)) {
        Files.deleteIfExists(entry);
        deleted.add(name);
      }
    }
    for (Path entry : list(partials)) {
      String name = entry.getFileName().toString();
      if (!keep.contains(name)) {
        deleteTree(entry);
        if (!deleted.contains(name)) {
          deleted.add(name);
        }
      }
    }
    long after = usedBytes();
    if (!deleted.isEmpty()) {
      LOG.info("model store: deleted {} models, freed {} bytes", deleted.size(), before - after);
    }
    return new GcReport(deleted, before - after, after);
  }

  private Path complete(String sha256) {
    return models.resolve(requireSha(sha256));
  }

  private static String requireSha(String sha256) {
    if (!Sha256.isHex(sha256)) {
      throw new IllegalArgumentException("not a sha256: " + sha256);
    }
    return sha256;
  }

  private static String digestOf(Path file) throws IOException {
    MessageDigest digest = Sha256.digest();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    }
    return Sha256.hex(digest);
  }

  private void deleteTemporaries() throws IOException {
    try (Stream<Path> files = Files.walk(models)) {
      for (Path file : files.filter(f -> f.toString().endsWith(AtomicFiles.TEMP_SUFFIX)).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }

  private static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.toList();
    }
  }

  private static long bytesOf(Path path) throws IOException {
    if (!Files.exists(path)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(path)) {
      long total = 0;
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        total += Files.size(file);
      }
      return total;
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }
}
