package io.fieldproof.agent.emulator.esp32;

import io.fieldproof.agent.emulator.flash.EmulatedFlash;
import io.fieldproof.agent.emulator.line.LineServer;
import io.fieldproof.agent.emulator.line.LineSettings;
import io.fieldproof.agent.slots.SlotLayout;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/**
 * Command line for trying host tools by hand: one emulated ESP32 in download mode (4 MB flash,
 * blank) on {@code 127.0.0.1:PORT}, its line paced at a baud rate with 10 bits per byte. Prints the
 * {@code socket://} URL esptool takes and serves until stopped. Each connection is a reset into the
 * ROM loader; the flash keeps its contents while the process runs.
 */
public final class EspRomLoaderMain {

  static final String USAGE =
      "usage: EspRomLoaderMain [--port N (0 = any free)] [--baud N (115200; 0 = unpaced)]";
  private static final byte[] MAC = {0x24, 0x0A, (byte) 0xC4, 0x00, 0x00, 0x01};

  private EspRomLoaderMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    int port = 0;
    int baud = 115_200;
    try {
      for (int i = 0; i < args.length; i += 2) {
        int value = Integer.parseInt(args[i + 1]);
        switch (args[i]) {
          case "--port" -> port = value;
          case "--baud" -> baud = value;
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
    } catch (RuntimeException e) {
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    EmulatedFlash flash = new EmulatedFlash(SlotLayout.forChip("esp32").sectors());
    LineServer server =
        LineServer.start(
            port, LineSettings.ideal().withBaud(baud), EspRomLoader.factory(flash, MAC));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                }));
    System.out.println(server.socketUrl());
    System.out.flush();
    stopped.await();
  }
}
