package io.fieldproof.agent.flash;

import io.fieldproof.agent.link.SerialLine;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A raw byte line to a chip's bootloader: a TCP socket to a serial bridge or an emulator ({@code
 * tcp://host:port}), or a serial device ({@code serial:/dev/ttyUSB0?baud=115200&parity=even}). A
 * daemon thread reads into a buffer, so reads can wait with a deadline on either kind. A serial
 * line is read in polls of a tenth of a second (a tty read returns nothing rather than blocking),
 * so the reader ends when the line is closed and never takes bytes meant for the next session.
 */
public final class ByteLine implements AutoCloseable {

  private static final int CAPACITY = 1 << 20;
  private static final long READER_STOP_MILLIS = 2000;

  private final String uri;
  private final OutputStream out;
  private final Closeable resource;
  private final SerialLine.Address serial;
  private final byte[] ring = new byte[CAPACITY];
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private int head;
  private int count;
  private boolean ended;
  private volatile boolean closing;
  private final Thread reader;

  private ByteLine(
      String uri, InputStream in, OutputStream out, Closeable resource, SerialLine.Address serial) {
    this.uri = uri;
    this.out = out;
    this.resource = resource;
    this.serial = serial;
    this.reader = new Thread(() -> readLoop(in), "byte-line-" + uri);
    reader.setDaemon(true);
    reader.start();
  }

  /** Opens {@code uri}: {@code tcp://host:port} or {@code serial:/dev/...}. */
  public static ByteLine open(String uri, Duration connectTimeout) throws IOException {
    if (uri.startsWith("serial:")) {
      SerialLine.Address address = SerialLine.Address.parse(uri);
      RandomAccessFile file = SerialLine.open(address);
      SerialLine.pollEvery(address, 1);
      return new ByteLine(uri, SerialLine.input(file), SerialLine.output(file), file, address);
    }
    if (uri.startsWith("tcp://")) {
      URI parsed = URI.create(uri);
      if (parsed.getHost() == null || parsed.getPort() < 0) {
        throw new IOException("expected tcp://host:port, not " + uri);
      }
      Socket socket = new Socket();
      try {
        socket.setTcpNoDelay(true);
        socket.connect(
            new InetSocketAddress(parsed.getHost(), parsed.getPort()),
            (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
        return new ByteLine(uri, socket.getInputStream(), socket.getOutputStream(), socket, null);
      } catch (IOException e) {
        socket.close();
        throw e;
      }
    }
    throw new IOException("unsupported line " + uri + ": expected tcp:// or serial:");
  }

  public String uri() {
    return uri;
  }

  /** Sends bytes. */
  public void write(byte[] bytes) throws IOException {
    synchronized (out) {
      out.write(bytes);
      out.flush();
    }
  }

  /**
   * Reads one byte, waiting at most {@code timeout}; -1 when none came in time.
   *
   * @throws IOException when the line ended and nothing is left to read
   */
  public int read(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (count == 0) {
        if (ended) {
          throw new IOException("the line " + uri + " was closed");
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return -1;
        }
        arrived.await(left, TimeUnit.NANOSECONDS);
      }
      int value = ring[head] & 0xFF;
      head = (head + 1) % CAPACITY;
      count--;
      return value;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading " + uri, e);
    } finally {
      lock.unlock();
    }
  }

  /** Discards whatever was received and not read yet. */
  public void discardInput() {
    lock.lock();
    try {
      head = 0;
      count = 0;
    } finally {
      lock.unlock();
    }
  }

  /** Changes the speed of a serial line; a TCP line has none to change (the bridge has it). */
  public void changeBaud(int baud) throws IOException {
    if (serial != null) {
      SerialLine.stty(serial.withBaud(baud));
      SerialLine.pollEvery(serial, 1);
    }
  }

  /**
   * Closes the line and waits (a poll period at most) for its reader to stop, so the next session
   * on the same port is the only one that reads it.
   */
  @Override
  public void close() {
    closing = true;
    try {
      resource.close();
    } catch (IOException e) {
      // closing a line that is already broken: nothing left to release
    }
    if (Thread.currentThread() != reader) {
      try {
        reader.join(READER_STOP_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return uri;
  }

  private void readLoop(InputStream in) {
    byte[] buffer = new byte[4096];
    try {
      while (!closing) {
        int n = in.read(buffer);
        if (n > 0) {
          append(buffer, n);
        } else if (n < 0 && serial == null) {
          break;
        }
      }
    } catch (IOException e) {
      // the line broke or was closed: readers learn it below
    } finally {
      lock.lock();
      try {
        ended = true;
        arrived.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private void append(byte[] buffer, int n) {
    lock.lock();
    try {
      for (int i = 0; i < n; i++) {
        if (count == CAPACITY) {
          head = (head + 1) % CAPACITY;
          count--;
        }
        ring[(head + count) % CAPACITY] = buffer[i];
        count++;
      }
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
