package io.fieldproof.agent.transfer;

import java.util.concurrent.atomic.AtomicLong;

/** What the fetcher received over all its transfers: chunk messages, and those it rejected. */
final class FetchCounters {

  private final AtomicLong chunkMessages = new AtomicLong();
  private final AtomicLong rejectedChunks = new AtomicLong();

  void chunkMessage() {
    chunkMessages.incrementAndGet();
  }

  void rejectedChunk() {
    rejectedChunks.incrementAndGet();
  }

  long chunkMessages() {
    return chunkMessages.get();
  }

  long rejectedChunks() {
    return rejectedChunks.get();
  }
}
