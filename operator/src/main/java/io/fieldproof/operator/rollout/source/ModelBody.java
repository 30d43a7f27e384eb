package io.fieldproof.operator.rollout.source;

import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads a response body as it streams in: never holds more than the size limit, cancels the
 * transfer as soon as the body passes it, and digests the bytes on the way, so the result is either
 * the verified file or why it was refused.
 */
final class ModelBody implements BodySubscriber<FetchResult> {

  private static final int FIRST_BUFFER = 64 * 1024;

  private final CompletableFuture<FetchResult> result = new CompletableFuture<>();
  private final long maxBytes;
  private final String expectedSha256;
  private final MessageDigest digest = sha256();
  private Flow.Subscription subscription;
  private byte[] buffer;
  private int size;

  ModelBody(long maxBytes, OptionalLong contentLength, String expectedSha256) {
    this.maxBytes = maxBytes;
    this.expectedSha256 = expectedSha256;
    this.buffer = new byte[(int) Math.min(contentLength.orElse(FIRST_BUFFER), maxBytes)];
  }

  /** A body decided before it is read: the transfer is cancelled, nothing is read. */
  static BodySubscriber<FetchResult> settled(FetchResult outcome) {
    return new Settled(outcome);
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    subscription.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer item : items) {
      if (!append(item)) {
        subscription.cancel();
        buffer = null;
        result.complete(
            new FetchResult.Failed(
                FetchProblem.TOO_LARGE, "the body passes the limit of " + maxBytes + " bytes"));
        return;
      }
    }
    subscription.request(1);
  }

  @Override
  public void onError(Throwable error) {
    buffer = null;
    result.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    if (result.isDone()) {
      return;
    }
    String actual = HexFormat.of().formatHex(digest.digest());
    if (!actual.equals(expectedSha256)) {
      buffer = null;
      result.complete(new FetchResult.Failed(FetchProblem.SHA256_MISMATCH, actual));
      return;
    }
    byte[] bytes = size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
    buffer = null;
    result.complete(new FetchResult.Fetched(bytes));
  }

  @Override
  public CompletionStage<FetchResult> getBody() {
    return result;
  }

  /** Adds the item to the buffer, growing it up to the limit; false when it would pass it. */
  private boolean append(ByteBuffer item) {
    int length = item.remaining();
    if (size + (long) length > maxBytes) {
      return false;
    }
    if (size + length > buffer.length) {
      long grown = Math.max(2L * buffer.length, size + length);
      buffer = Arrays.copyOf(buffer, (int) Math.min(grown, maxBytes));
    }
    ByteBuffer view = item.duplicate();
    digest.update(view);
    item.get(buffer, size, length);
    size += length;
    return true;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** A body whose outcome is known from the status and headers alone. */
  private static final class Settled implements BodySubscriber<FetchResult> {

    private final CompletableFuture<FetchResult> result;

    Settled(FetchResult outcome) {
      this.result = CompletableFuture.completedFuture(outcome);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.cancel();
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      // cancelled on subscribe: whatever was already in flight is dropped
    }

    @Override
    public void onError(Throwable error) {
      // the outcome was settled before the body
    }

    @Override
    public void onComplete() {
      // the outcome was settled before the body
    }

    @Override
    public CompletionStage<FetchResult> getBody() {
      return result;
    }
  }
}
