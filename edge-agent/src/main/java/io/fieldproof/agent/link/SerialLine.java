package io.fieldproof.agent.link;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A serial line on Linux, opened as its device file after stty put it in raw mode at the given
 * speed: no dependency on a native serial library.
 */
public final class SerialLine {

  private static final List<Integer> SPEEDS =
      List.of(9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600);

  private SerialLine() {}

  /**
   * The parsed form of serial:/dev/ttyUSB0, serial:/dev/ttyUSB0?baud=115200 or
   * serial:/dev/ttyUSB0?baud=115200&amp;parity=even (8 data bits, 1 stop bit; an STM32 bootloader
   * wants even parity).
   */
  public record Address(Path device, int baud, boolean evenParity) {

    public static Address parse(String uri) throws IOException {
      String rest = uri.substring("serial:".length());
      int query = rest.indexOf('?');
      Path device = Path.of(query < 0 ? rest : rest.substring(0, query));
      int baud = 115200;
      boolean even = false;
      if (query >= 0) {
        for (String parameter : rest.substring(query + 1).split("&")) {
          if (parameter.startsWith("baud=")) {
            baud = parseBaud(uri, parameter.substring("baud=".length()));
          } else if (parameter.equals("parity=even") || parameter.equals("parity=none")) {
            even = parameter.endsWith("even");
          } else {
            throw new IOException(
                "unsupported serial option in " + uri + ": baud=N and parity=none|even are known");
          }
        }
      }
      return new Address(device, baud, even);
    }

    /** The same line at another speed. */
    public Address withBaud(int newBaud) {
      return new Address(device, newBaud, evenParity);
    }

    private static int parseBaud(String uri, String value) throws IOException {
      int baud;
      try {
        baud = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IOException("baud in " + uri + " is not a number", e);
      }
      if (!SPEEDS.contains(baud)) {
        throw new IOException("baud " + baud + " in " + uri + " is not one of " + SPEEDS);
      }
      return baud;
    }
  }

  /** Configures the line with stty and opens it for reading and writing. */
  public static RandomAccessFile open(Address address) throws IOException {
    if (!Files.exists(address.device())) {
      throw new IOException("serial device " + address.device() + " does not exist");
    }
    stty(address);
    return new RandomAccessFile(address.device().toFile(), "rw");
  }

  public static InputStream input(RandomAccessFile file) {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        return file.read();
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        return file.read(buffer, offset, length);
      }
    };
  }

  public static OutputStream output(RandomAccessFile file) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        file.write(b);
      }

      @Override
      public void write(byte[] buffer, int offset, int length) throws IOException {
        file.write(buffer, offset, length);
      }
    };
  }

  /**
   * Makes reads of the line return after {@code tenths} tenths of a second without data (VMIN 0,
   * VTIME), as "no data" rather than blocking, so a reader thread can notice its line was closed.
   */
  public static void pollEvery(Address address, int tenths) throws IOException {
    run(address, "min", "0", "time", Integer.toString(tenths));
  }

  /** Sets the speed and framing of an open line. */
  public static void stty(Address address) throws IOException {
    run(
        address,
        Integer.toString(address.baud()),
        "raw",
        "-echo",
        "-echoe",
        "-echok",
        "-ixon",
        "-ixoff",
        "-crtscts",
        "cs8",
        "-cstopb",
        address.evenParity() ? "parenb" : "-parenb",
        "-parodd",
        "clocal");
  }

  private static void run(Address address, String... settings) throws IOException {
    java.util.List<String> command =
        new java.util.ArrayList<>(java.util.List.of("stty", "-F", address.device().toString()));
    command.addAll(java.util.List.of(settings));
    Process stty = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output =
          new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!stty.waitFor(10, TimeUnit.SECONDS) || stty.exitValue() != 0) {
        throw new IOException("stty could not configure " + address.device() + ": " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while configuring " + address.device(), e);
    }
  }
}
