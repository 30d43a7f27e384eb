package io.fieldproof.agent.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's state survives its process being SIGKILLed while it writes: a writer process ({@link
 * StateWriterProcess}) changes 100 devices' records from four threads and is killed after a
 * different number of changes each time, on the same folder; after each kill the state opened again
 * holds, for every device, at least the generation the writer had been told was kept, and no
 * generation the writer never wrote. Kills land in journal appends, snapshots and the emptying of
 * the journal (a snapshot is written every 200 changes here, and a birth number taken every 50).
 */
class DurableStateCrashTest {

  private static final int KILLS = 6;

  @TempDir Path dir;

  @Test
  void everyChangeThatReturnedSurvivesASigkillAndNothingTornIsRead() throws Exception {
    Map<Integer, Long> promised = new HashMap<>();
    long birthSeq = 0;
    for (int kill = 0; kill < KILLS; kill++) {
      int changes = 100 + kill * 97;
      Map<Integer, Long> seen = runAndKill(changes);
      seen.forEach((device, generation) -> promised.merge(device, generation, Math::max));

      DurableState reopened = DurableState.open(dir);
      for (int device = 0; device < devices(); device++) {
        int d = device;
        long atLeast = promised.getOrDefault(device, 0L);
        if (atLeast == 0) {
          continue;
        }
        assertThat(reopened.device(StateWriterProcess.link(device)))
            .as("device %d after kill %d", device, kill)
            .hasValueSatisfying(
                r -> {
                  assertThat(r.appliedGeneration()).isGreaterThanOrEqualTo(atLeast);
                  // the writer was told of a change only after it returned, so one more at most
                  assertThat(r.appliedGeneration()).isLessThanOrEqualTo(atLeast + 1);
                  assertThat(r).isEqualTo(StateWriterProcess.record(d, r.appliedGeneration()));
                });
      }
      assertThat(reopened.birthSeq()).isGreaterThanOrEqualTo(birthSeq);
      birthSeq = reopened.birthSeq();
      assertThat(reopened.writeFailures()).isZero();
    }
    assertThat(birthSeq).isPositive();
  }

  private static int devices() {
    return StateWriterProcess.THREADS * StateWriterProcess.DEVICES_PER_THREAD;
  }

  /** Notes a line {@code <device> <generation> kept}; a line the kill cut short is not one. */
  private static boolean note(String line, Map<Integer, Long> seen) {
    String[] parts = line.split(" ");
    if (parts.length != 3 || !parts[2].equals("kept")) {
      return false;
    }
    seen.merge(Integer.parseInt(parts[0]), Long.parseLong(parts[1]), Math::max);
    return true;
  }

  /** Runs the writer until it reported {@code changes} kept changes, then SIGKILLs it. */
  private Map<Integer, Long> runAndKill(int changes) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process writer =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                StateWriterProcess.class.getName(),
                dir.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    Map<Integer, Long> seen = new HashMap<>();
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
      for (int n = 0; n < changes; n++) {
        String line = lines.readLine();
        assertThat(line).as("the writer stopped after %d changes", n).isNotNull();
        assertThat(note(line, seen)).as("a whole line: %s", line).isTrue();
      }
      // SIGKILL: no shutdown hook, no flush, the threads stop wherever they are (through the
      // handle, which leaves the pipe open, unlike Process.destroyForcibly)
      writer.toHandle().destroyForcibly();
      assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
      // what it printed before it died, still in the pipe: changes it was told were kept too
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        note(line, seen);
      }
    } finally {
      writer.destroyForcibly();
    }
    assertThat(writer.exitValue()).isEqualTo(137);
    return seen;
  }
}
