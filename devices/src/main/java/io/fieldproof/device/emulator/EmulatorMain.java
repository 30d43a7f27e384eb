package io.fieldproof.device.emulator;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/**
 * Command line: starts one or more emulators over TCP, prints {@code <device id> <chip>
 * tcp://<address>:<port>} for each (and, with {@code --boot-port}, the {@code
 * socket://<address>:<port>} of its ROM bootloader), and serves them until the process is stopped.
 * See {@link EmulatorOptions#USAGE} and docs/device-protocol.md.
 */
public final class EmulatorMain {

  private EmulatorMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println(EmulatorOptions.USAGE);
      return;
    }
    EmulatorOptions options;
    try {
      options = EmulatorOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(EmulatorOptions.USAGE);
      System.exit(2);
      return;
    }
    EmulatorFleet fleet;
    try {
      fleet = EmulatorFleet.start(options);
    } catch (java.io.UncheckedIOException e) {
      // a flash file of another chip, or one another emulator holds
      System.err.println(e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  fleet.close();
                  stopped.countDown();
                }));
    for (int i = 0; i < fleet.servers().size(); i++) {
      EmulatorServer server = fleet.servers().get(i);
      String bootloader = fleet.bootloader(i).map(line -> " " + line.socketUrl()).orElse("");
      System.out.println(
          server.emulator().deviceId()
              + " "
              + server.emulator().chip().wireName()
              + " "
              + server.uri()
              + bootloader);
    }
    System.out.flush();
    stopped.await();
  }
}
