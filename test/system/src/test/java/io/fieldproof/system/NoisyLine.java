package io.fieldproof.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A device link with line noise: a TCP relay between the agent and one emulator that damages each
 * byte crossing it, in either direction, with a given probability (a bit error rate's effect on a
 * UART, where one flipped bit spoils one byte). Deterministic from its seed. One connection at a
 * time, as a serial line has; a new connection from the agent replaces the old one.
 */
final class NoisyLine implements AutoCloseable {

  private final ServerSocket server;
  private final URI device;
  private final double rate;
  private final SplittableRandom random;
  private final AtomicLong damaged = new AtomicLong();
  private final AtomicLong carried = new AtomicLong();
  private volatile boolean closed;

  private NoisyLine(ServerSocket server, URI device, double rate, long seed) {
    this.server = server;
    this.device = device;
    this.rate = rate;
    this.random = new SplittableRandom(seed);
  }

  /** Relays to {@code deviceUri} (tcp://host:port), damaging bytes at {@code rate}. */
  static NoisyLine start(String deviceUri, double rate, long seed) throws IOException {
    ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
    NoisyLine line = new NoisyLine(server, URI.create(deviceUri), rate, seed);
    Thread accept = new Thread(line::accept, "noisy-line-" + server.getLocalPort());
    accept.setDaemon(true);
    accept.start();
    return line;
  }

  /** Where the agent connects instead of the device. */
  String uri() {
    return "tcp://127.0.0.1:" + server.getLocalPort();
  }

  long damaged() {
    return damaged.get();
  }

  long carried() {
    return carried.get();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket agent = server.accept();
        Socket emulator = new Socket();
        try {
          emulator.connect(new InetSocketAddress(device.getHost(), device.getPort()), 2000);
        } catch (IOException down) {
          agent.close();
          emulator.close();
          continue;
        }
        pump(agent, emulator, "to-device");
        pump(emulator, agent, "to-agent");
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void pump(Socket from, Socket to, String direction) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[4096];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                  damage(buffer, n);
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException ended) {
                // one side closed: the other follows
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "noisy-line-" + server.getLocalPort() + "-" + direction);
    thread.setDaemon(true);
    thread.start();
  }

  private void damage(byte[] buffer, int length) {
    synchronized (random) {
      for (int i = 0; i < length; i++) {
        if (random.nextDouble() < rate) {
          buffer[i] ^= (byte) (1 << random.nextInt(8));
          damaged.incrementAndGet();
        }
      }
    }
    carried.addAndGet(length);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
