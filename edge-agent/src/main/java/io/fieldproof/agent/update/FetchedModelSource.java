package io.fieldproof.agent.update;

import io.fieldproof.agent.transfer.FetchFailure;
import io.fieldproof.agent.transfer.ModelFetchException;
import io.fieldproof.agent.transfer.ModelFetcher;
import io.fieldproof.protocol.ModelRef;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Models from the operator's content-addressed chunks over MQTT, through the agent's store. */
public final class FetchedModelSource implements ModelSource {

  private final ModelFetcher fetcher;

  public FetchedModelSource(ModelFetcher fetcher) {
    this.fetcher = fetcher;
  }

  @Override
  public byte[] fetch(ModelRef model, Duration timeout) throws UpdateException {
    try {
      return Files.readAllBytes(
          fetcher.fetch(model).get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      throw new UpdateException(
          UpdateReason.DownloadFailed, "the model did not arrive within " + timeout, e);
    } catch (ExecutionException e) {
      throw translate(e.getCause());
    } catch (IOException e) {
      throw new UpdateException(UpdateReason.DownloadFailed, "reading the stored model: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UpdateException(UpdateReason.DownloadFailed, "interrupted", e);
    }
  }

  private static UpdateException translate(Throwable cause) {
    if (!(cause instanceof ModelFetchException fetch)) {
      return new UpdateException(UpdateReason.DownloadFailed, String.valueOf(cause), cause);
    }
    UpdateReason reason =
        fetch.failure() == FetchFailure.DIGEST_MISMATCH
            ? UpdateReason.DigestMismatch
            : fetch.isTransient() ? UpdateReason.DownloadFailed : UpdateReason.ModelUnavailable;
    return new UpdateException(reason, fetch.failure() + ": " + fetch.getMessage(), fetch);
  }
}
