package io.fieldproof.protocol.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reconnect loop against a scripted client: each attempt is held by the test, which decides
 * when and how it ends, as Paho's callbacks would. The deadline is short so the test runs fast.
 */
class ConnectLoopTest {

  private static final Duration DEADLINE = Duration.ofMillis(400);

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final List<ConnectLoop.Attempt> attempts = new CopyOnWriteArrayList<>();
  private final AtomicBoolean connected = new AtomicBoolean();
  private final AtomicInteger drops = new AtomicInteger();
  private final ConnectLoop loop =
      new ConnectLoop(
          "tcp://scripted",
          attempts::add,
          connected::get,
          () -> {
            drops.incrementAndGet();
            connected.set(false);
          },
          scheduler,
          new ReconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(20), () -> 0.5),
          DEADLINE);

  @AfterEach
  void stop() {
    loop.stop();
    scheduler.shutdownNow();
  }

  /**
   * What the fault run found: an attempt that failed is long settled when its deadline comes; by
   * then a later attempt holds the connection, which the deadline must leave alone.
   */
  @Test
  void theDeadlineOfAFailedAttemptNeverCutsTheConnectionOfALaterOne() {
    loop.start();
    await().until(() -> attempts.size() == 1);
    attempts.get(0).failed(new IOException("connection closed before CONNACK"));
    await().until(() -> attempts.size() == 2);

    connected.set(true);
    attempts.get(1).succeeded();

    await()
        .during(DEADLINE.multipliedBy(3))
        .atMost(DEADLINE.multipliedBy(4))
        .until(() -> connected.get() && drops.get() == 0);
    assertThat(attempts).hasSize(2);
  }

  @Test
  void anAttemptLeftUnansweredIsDroppedAtItsDeadlineAndTriedAgain() {
    loop.start();
    await().until(() -> attempts.size() == 1);

    await().atMost(DEADLINE.multipliedBy(3)).until(() -> attempts.size() == 2);

    assertThat(drops).hasValue(1);
    attempts.get(0).succeeded();
    assertThat(loop.busy()).as("the late answer of an abandoned attempt changes nothing").isTrue();
  }

  @Test
  void aConnectionUpWhenItsAttemptsDeadlineComesIsKept() {
    loop.start();
    await().until(() -> attempts.size() == 1);
    connected.set(true);

    await().during(DEADLINE.multipliedBy(2)).atMost(DEADLINE.multipliedBy(3)).until(connected::get);

    assertThat(drops).hasValue(0);
    assertThat(attempts).hasSize(1);
  }

  /**
   * A forced disconnect gives no callback: whatever ends a connection silently, the periodic check
   * starts a new attempt.
   */
  @Test
  void aConnectionThatEndsWithoutAnyCallbackIsRestored() {
    loop.start();
    await().until(() -> attempts.size() == 1);
    connected.set(true);
    attempts.get(0).succeeded();

    connected.set(false);

    await().atMost(DEADLINE.multipliedBy(3)).until(() -> attempts.size() == 2);
  }

  @Test
  void lossReportedFromSeveralPlacesStartsOneAttemptAtATime() {
    loop.start();
    await().until(() -> attempts.size() == 1);
    connected.set(true);
    attempts.get(0).succeeded();

    connected.set(false);
    loop.lost(new IOException("disconnected"));
    loop.lost(new IOException("disconnected again"));
    loop.supervise();

    await().until(() -> attempts.size() == 2);
    await()
        .pollInterval(Duration.ofMillis(20))
        .during(Duration.ofMillis(150))
        .atMost(Duration.ofMillis(350))
        .until(() -> attempts.size() == 2 && loop.busy());
  }

  @Test
  void aStoppedLoopMakesNoMoreAttempts() {
    loop.start();
    await().until(() -> attempts.size() == 1);
    loop.stop();

    attempts.get(0).failed(new IOException("refused"));

    await().during(DEADLINE.multipliedBy(2)).atMost(DEADLINE.multipliedBy(3)).until(() -> true);
    assertThat(attempts).hasSize(1);
  }
}
