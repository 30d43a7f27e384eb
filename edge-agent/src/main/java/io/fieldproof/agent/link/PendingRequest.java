package io.fieldproof.agent.link;

import io.fieldproof.device.protocol.Frame;
import java.util.concurrent.CompletableFuture;

/**
 * A request sent and not yet answered.
 *
 * @param requestId the id the response will carry
 * @param response completed with the response frame, or exceptionally when the link is lost
 */
record PendingRequest(int requestId, CompletableFuture<Frame> response) {}
