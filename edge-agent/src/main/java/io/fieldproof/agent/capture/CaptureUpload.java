package io.fieldproof.agent.capture;

import io.fieldproof.agent.config.AgentConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's capture upload, put together: the spool in {@code <stateDir>/captures} that takes the
 * windows (the agent's CaptureSink) and the uploader that moves them to the configured store.
 */
public final class CaptureUpload implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CaptureUpload.class);

  /** The spool's folder under the agent's state folder. */
  public static final String FOLDER = "captures";

  private final CaptureSpool spool;
  private final CaptureStoreClient client;
  private final CaptureUploader uploader;

  private CaptureUpload(CaptureSpool spool, CaptureStoreClient client, CaptureUploader uploader) {
    this.spool = spool;
    this.client = client;
    this.uploader = uploader;
  }

  /**
   * Opens the spool (taking back what a previous run left in it) and starts uploading to {@code
   * store}; nothing connects before the first window is due.
   */
  public static CaptureUpload start(
      AgentConfig.CaptureStore store, String namespace, String gateway, Path stateDir, Clock clock)
      throws IOException {
    CaptureSpool spool =
        CaptureSpool.open(
            stateDir.resolve(FOLDER), namespace, store.spoolBytes(), clock, new CaptureDrops());
    CaptureStoreClient client = new CaptureStoreClient(store);
    CaptureUploader uploader =
        new CaptureUploader(
            spool,
            client,
            store.initialRetryDelay(),
            store.maxRetryDelay(),
            "agent-" + gateway + "-capture-upload");
    uploader.start();
    LOG.info(
        "captured windows go to bucket {} of {}, through the spool {} ({} bytes at most)",
        store.bucket(),
        store.endpoint(),
        stateDir.resolve(FOLDER),
        store.spoolBytes());
    return new CaptureUpload(spool, client, uploader);
  }

  /** Where the agent hands the windows its devices captured. */
  public CaptureSink sink() {
    return spool;
  }

  /** Windows waiting on disk for the store. */
  public int waiting() {
    return spool.size();
  }

  /** Windows the store acknowledged since the start. */
  public long uploaded() {
    return uploader.uploaded();
  }

  /** Uploads that failed and are tried again, since the start. */
  public long failedAttempts() {
    return uploader.failedAttempts();
  }

  public CaptureDrops drops() {
    return spool.drops();
  }

  /** Stops uploading; the windows waiting stay on disk for the next start. */
  @Override
  public void close() {
    uploader.close();
    client.close();
  }
}
