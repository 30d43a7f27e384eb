package io.fieldproof.agent.state;

import io.fieldproof.protocol.Capabilities;
import io.fieldproof.protocol.Slots;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The child process of {@link DurableStateCrashTest}: opens the state in the folder given, then
 * changes device records from several threads, each thread its own devices, forever (until it is
 * killed). After each change has returned it prints {@code <device> <generation> kept}, so every
 * line printed names a change the state had promised to keep. Generations go on from what the state
 * held when it opened.
 */
public final class StateWriterProcess {

  static final int THREADS = 4;
  static final int DEVICES_PER_THREAD = 25;

  public static void main(String[] args) {
    DurableState state = DurableState.open(Path.of(args[0]));
    PrintStream out = System.out;
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      Thread writer =
          new Thread(
              () -> {
                for (long round = 1; ; round++) {
                  for (int d = 0; d < DEVICES_PER_THREAD; d++) {
                    int device = thread * DEVICES_PER_THREAD + d;
                    long next =
                        state.device(link(device)).map(DeviceRecord::appliedGeneration).orElse(0L)
                            + 1;
                    state.put(record(device, next));
                    if (device == 0 && round % 2 == 0) {
                      state.nextBirthSeq();
                    }
                    synchronized (out) {
                      out.println(device + " " + next + " kept");
                      out.flush();
                    }
                  }
                }
              });
      writer.start();
    }
  }

  static String link(int device) {
    return "tcp://127.0.0.1:" + (7000 + device);
  }

  static DeviceRecord record(int device, long generation) {
    return new DeviceRecord(
        link(device),
        "esp32-" + device,
        "esp32",
        "1.0.0+idf5.2",
        new Capabilities(List.of("FULLY_CONNECTED"), 98304, 524288),
        generation,
        "ab".repeat(32),
        new Slots("A", null, null));
  }

  private StateWriterProcess() {}
}
