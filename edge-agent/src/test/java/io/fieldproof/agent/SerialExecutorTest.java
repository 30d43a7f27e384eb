package io.fieldproof.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void tasksRunOneAtATimeInOrder() {
    SerialExecutor serial = new SerialExecutor(pool);
    List<Integer> ran = new CopyOnWriteArrayList<>();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();

    IntStream.range(0, 500)
        .forEach(
            i ->
                serial.execute(
                    () -> {
                      if (running.incrementAndGet() > 1) {
                        overlaps.incrementAndGet();
                      }
                      ran.add(i);
                      running.decrementAndGet();
                    }));

    await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 500);
    assertThat(ran).isSorted().doesNotHaveDuplicates();
    assertThat(overlaps).hasValue(0);
  }

  @Test
  void aFailingTaskDoesNotStopTheTasksAfterIt() {
    SerialExecutor serial = new SerialExecutor(pool);
    List<String> ran = new CopyOnWriteArrayList<>();

    serial.execute(() -> ran.add("before"));
    serial.execute(
        () -> {
          throw new IllegalStateException("a device task failed");
        });
    serial.execute(() -> ran.add("after"));
    await().atMost(Duration.ofSeconds(5)).until(() -> ran.size() == 2);
    serial.execute(() -> ran.add("later"));

    await().atMost(Duration.ofSeconds(5)).until(() -> ran.size() == 3);
    assertThat(ran).containsExactly("before", "after", "later");
  }
}
