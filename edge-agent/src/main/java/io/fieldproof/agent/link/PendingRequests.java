package io.fieldproof.agent.link;

import io.fieldproof.device.protocol.Frame;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The requests of one link waiting for responses, by request id. Allocates ids 1..65535 (0 is
 * reserved for unsolicited frames), skipping ids still in use. Thread-safe.
 */
final class PendingRequests {

  private static final int MAX_ID = 0xFFFF;

  private final Map<Integer, CompletableFuture<Frame>> waiting = new ConcurrentHashMap<>();
  private final AtomicInteger lastId = new AtomicInteger();

  PendingRequest open() throws DeviceLinkException {
    for (int attempt = 0; attempt < MAX_ID; attempt++) {
      int id = lastId.updateAndGet(previous -> previous >= MAX_ID ? 1 : previous + 1);
      CompletableFuture<Frame> response = new CompletableFuture<>();
      if (waiting.putIfAbsent(id, response) == null) {
        return new PendingRequest(id, response);
      }
    }
    throw new DeviceLinkException(
        DeviceLinkException.Failure.OVERLOADED, "all request ids are waiting for responses");
  }

  /** Completes the request the response answers; false when nobody waits for it any more. */
  boolean complete(Frame response) {
    CompletableFuture<Frame> future = waiting.remove(response.requestId());
    return future != null && future.complete(response);
  }

  void abandon(PendingRequest request) {
    waiting.remove(request.requestId(), request.response());
  }

  void failAll(DeviceLinkException cause) {
    for (Integer id : waiting.keySet()) {
      CompletableFuture<Frame> future = waiting.remove(id);
      if (future != null) {
        future.completeExceptionally(cause);
      }
    }
  }
}
