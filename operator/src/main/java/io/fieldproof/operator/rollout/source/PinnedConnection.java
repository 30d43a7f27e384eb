package io.fieldproof.operator.rollout.source;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 GET over a connection to an address that was checked before: the socket is opened to
 * that address itself, never to the host name (no second lookup between the check and the
 * connection), while the Host header, TLS SNI and the certificate check use the URL's host. Every
 * read is bounded by the fetch's deadline. The connection is not reused ("Connection: close").
 */
final class PinnedConnection implements AutoCloseable {

  private static final int MAX_LINE = 8 * 1024;
  private static final int MAX_HEADERS = 100;

  private final Socket socket;
  private final InputStream in;
  private final int status;
  private final Map<String, String> headers;

  private PinnedConnection(Socket socket, InputStream in, int status, Map<String, String> headers) {
    this.socket = socket;
    this.in = in;
    this.status = status;
    this.headers = headers;
  }

  /** The connection could not be opened to any of the addresses. */
  static final class ConnectFailed extends IOException {

    private final boolean timedOut;

    ConnectFailed(String message, boolean timedOut) {
      super(message);
      this.timedOut = timedOut;
    }

    boolean timedOut() {
      return timedOut;
    }
  }

  /**
   * Connects to the first of the addresses that answers, sends the GET and reads the response's
   * status line and headers.
   */
  static PinnedConnection open(
      URI uri,
      List<InetAddress> addresses,
      SSLSocketFactory tls,
      Duration connectTimeout,
      Deadline deadline)
      throws IOException {
    boolean https = uri.getScheme().equalsIgnoreCase("https");
    int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
    String host = AddressPolicy.normalHost(uri.getHost());
    Socket socket = connect(addresses, port, connectTimeout, deadline);
    try {
      if (https) {
        socket = handshake(socket, tls, host, port, deadline);
      }
      InputStream in = new DeadlineInput(socket, deadline);
      OutputStream out = socket.getOutputStream();
      out.write(request(uri).getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      int status = statusCode(line(in));
      Map<String, String> headers = headers(in);
      return new PinnedConnection(socket, in, status, headers);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  int status() {
    return status;
  }

  /** The first value of the header, by case-insensitive name. */
  Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The announced length of a body not sent in chunks. */
  OptionalLong contentLength() throws ProtocolException {
    if (chunked() || header("Content-Length").isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      long length = Long.parseLong(header("Content-Length").get().trim());
      if (length < 0) {
        throw new NumberFormatException();
      }
      return OptionalLong.of(length);
    } catch (NumberFormatException e) {
      throw new ProtocolException("a Content-Length that is not a length");
    }
  }

  /** The body, decoded from its framing: chunks, a Content-Length, or up to the close. */
  InputStream body() throws ProtocolException {
    if (chunked()) {
      return new ChunkedInput(in);
    }
    OptionalLong length = contentLength();
    return length.isPresent() ? new LengthInput(in, length.getAsLong()) : in;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private boolean chunked() {
    return header("Transfer-Encoding")
        .map(value -> value.toLowerCase(Locale.ROOT).contains("chunked"))
        .orElse(false);
  }

  private static Socket connect(
      List<InetAddress> addresses, int port, Duration connectTimeout, Deadline deadline)
      throws IOException {
    ConnectFailed last = new ConnectFailed("no address", false);
    for (InetAddress address : addresses) {
      int timeout = (int) Math.min(connectTimeout.toMillis(), deadline.remainingMillis());
      if (timeout <= 0) {
        throw new ConnectFailed("the time limit passed", true);
      }
      Socket socket = new Socket();
      try {
        socket.connect(new InetSocketAddress(address, port), timeout);
        return socket;
      } catch (SocketTimeoutException e) {
        socket.close();
        last = new ConnectFailed(address.getHostAddress() + ": " + e.getMessage(), true);
      } catch (IOException e) {
        socket.close();
        last = new ConnectFailed(e.getMessage(), false);
      }
    }
    throw last;
  }

  private static Socket handshake(
      Socket socket, SSLSocketFactory tls, String host, int port, Deadline deadline)
      throws IOException {
    SSLSocket ssl = (SSLSocket) tls.createSocket(socket, host, port, true);
    SSLParameters parameters = ssl.getSSLParameters();
    // the certificate must name the URL's host, not the address connected to
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    ssl.setSSLParameters(parameters);
    ssl.setSoTimeout(Math.max(1, deadline.remainingMillis()));
    ssl.startHandshake();
    return ssl;
  }

  private static String request(URI uri) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    String host = uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    return "GET "
        + target
        + " HTTP/1.1\r\n"
        + "Host: "
        + host
        + "\r\n"
        + "User-Agent: fieldproof-operator\r\n"
        + "Accept: */*\r\n"
        + "Accept-Encoding: identity\r\n"
        + "Connection: close\r\n\r\n";
  }

  private static int statusCode(String line) throws ProtocolException {
    String[] parts = line.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[0-9]{3}")) {
      throw new ProtocolException("not an HTTP/1.x status line");
    }
    return Integer.parseInt(parts[1]);
  }

  private static Map<String, String> headers(InputStream in) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int count = 0; ; count++) {
      String line = line(in);
      if (line.isEmpty()) {
        return headers;
      }
      if (count == MAX_HEADERS) {
        throw new ProtocolException("more than " + MAX_HEADERS + " response headers");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new ProtocolException("a malformed response header");
      }
      headers.putIfAbsent(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
  }

  /** A line ending in CRLF (or LF), without it; at most MAX_LINE bytes. */
  static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b == -1) {
        throw new EOFException("the connection closed in the response head");
      }
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int length =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
      }
      if (line.size() == MAX_LINE) {
        throw new ProtocolException("a response line longer than " + MAX_LINE + " bytes");
      }
      line.write(b);
    }
  }

  /** Reads from the socket, each read bounded by the time left to the deadline. */
  private static final class DeadlineInput extends InputStream {

    private final Socket socket;
    private final InputStream in;
    private final Deadline deadline;

    DeadlineInput(Socket socket, Deadline deadline) throws IOException {
      this.socket = socket;
      this.in = new java.io.BufferedInputStream(socket.getInputStream(), 16 * 1024);
      this.deadline = deadline;
    }

    @Override
    public int read() throws IOException {
      arm();
      return in.read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      arm();
      return in.read(buffer, offset, length);
    }

    private void arm() throws IOException {
      int remaining = deadline.remainingMillis();
      if (remaining == 0) {
        throw new SocketTimeoutException("the time limit passed");
      }
      socket.setSoTimeout(remaining);
    }
  }

  /** A body of a known length: ends there, and a connection closed before it is an error. */
  private static final class LengthInput extends InputStream {

    private final InputStream in;
    private final long length;
    private long left;

    LengthInput(InputStream in, long length) {
      this.in = in;
      this.length = length;
      this.left = length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
      if (left == 0) {
        return -1;
      }
      int n = in.read(buffer, offset, (int) Math.min(count, left));
      if (n == -1) {
        throw new EOFException(
            "the connection closed after " + (length - left) + " of " + length + " bytes");
      }
      left -= n;
      return n;
    }
  }

  /** A body in chunks (RFC 9112 section 7.1): sizes in hex, extensions and trailers skipped. */
  private static final class ChunkedInput extends InputStream {

    private final InputStream in;
    private long left;
    private boolean done;

    ChunkedInput(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
      if (done) {
        return -1;
      }
      if (left == 0) {
        left = nextChunk();
        if (left == 0) {
          while (!line(in).isEmpty()) {
            // trailer fields are not used
          }
          done = true;
          return -1;
        }
      }
      int n = in.read(buffer, offset, (int) Math.min(count, left));
      if (n == -1) {
        throw new EOFException("the connection closed inside a chunk");
      }
      left -= n;
      if (left == 0 && !line(in).isEmpty()) {
        throw new ProtocolException("a chunk not followed by CRLF");
      }
      return n;
    }

    private long nextChunk() throws IOException {
      String line = line(in);
      int semicolon = line.indexOf(';');
      String size = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
      if (!size.matches("[0-9A-Fa-f]{1,15}")) {
        throw new ProtocolException("a malformed chunk size");
      }
      return Long.parseLong(size, 16);
    }
  }
}
