package io.fieldproof.operator.rollout.source;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP(S) server on the loopback for the fetch tests: each path answers as the test sets it
 * up, and requests (with their Host headers) are counted. A stalled answer is held until the server
 * closes. The loopback is refused by default, so the fetchers of these tests allow it explicitly
 * ({@link #LOOPBACK_ALLOWED}).
 */
final class ModelServer implements AutoCloseable {

  static final String FIXTURE = "dense_anomaly.tflite";

  /** sha256 of the fixture model. */
  static final String FIXTURE_SHA256 =
      "aa8c95b2b1938c8162de16afa740d66d58233ed9d004acb054c980a0a3185250";

  /** The default policy with 127.0.0.1 allowed: what the tests that serve a model use. */
  static final AddressPolicy LOOPBACK_ALLOWED = AddressPolicy.defaults().allowing("127.0.0.1/32");

  private final HttpServer server;
  private final String scheme;
  private final List<String> hosts = new CopyOnWriteArrayList<>();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final AtomicInteger requests = new AtomicInteger();
  private final CountDownLatch closing = new CountDownLatch(1);

  private ModelServer(HttpServer server, String scheme) {
    this.server = server;
    this.scheme = scheme;
    server.setExecutor(executor);
    server.start();
  }

  static ModelServer start() throws IOException {
    return start(InetAddress.getLoopbackAddress());
  }

  /** An http server on this loopback address (127.0.0.2 is another address than 127.0.0.1). */
  static ModelServer start(InetAddress address) throws IOException {
    return new ModelServer(HttpServer.create(new InetSocketAddress(address, 0), 0), "http");
  }

  /** An https server on 127.0.0.1 presenting the context's certificate. */
  static ModelServer startHttps(SSLContext tls) throws IOException {
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    return new ModelServer(server, "https");
  }

  static byte[] fixture() throws IOException {
    return Files.readAllBytes(
        ProjectPaths.root().resolve("model/fixtures/models").resolve(FIXTURE));
  }

  /** The path answers with these handlers in turn, the last one from then on. */
  ModelServer serve(String path, HttpHandler... answers) {
    Deque<HttpHandler> queue = new ArrayDeque<>(Arrays.asList(answers));
    server.createContext(
        path,
        exchange -> {
          requests.incrementAndGet();
          hosts.add(exchange.getRequestHeaders().getFirst("Host"));
          HttpHandler answer;
          synchronized (queue) {
            answer = queue.size() > 1 ? queue.poll() : queue.peek();
          }
          try {
            answer.handle(exchange);
          } finally {
            exchange.close();
          }
        });
    return this;
  }

  /** The URL of the path with the server's address as its host. */
  String url(String path) {
    return url(server.getAddress().getAddress().getHostAddress(), path);
  }

  /** The URL of the path with this host name, which the test resolves to the server's address. */
  String url(String host, String path) {
    return scheme + "://" + host + ":" + server.getAddress().getPort() + path;
  }

  int requests() {
    return requests.get();
  }

  /** The Host header of each request, in order. */
  List<String> hosts() {
    return List.copyOf(hosts);
  }

  /** 200 with a Content-Length. */
  static HttpHandler file(byte[] body) {
    return exchange -> {
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    };
  }

  /** 200 with a chunked body and no Content-Length. */
  static HttpHandler chunked(byte[] body) {
    return exchange -> {
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      for (int offset = 0; offset < body.length; offset += 512) {
        out.write(body, offset, Math.min(512, body.length - offset));
        out.flush();
      }
    };
  }

  /** Only a status, with an empty body. */
  static HttpHandler status(int code) {
    return exchange -> exchange.sendResponseHeaders(code, -1);
  }

  static HttpHandler redirect(int code, String location) {
    return exchange -> {
      exchange.getResponseHeaders().set("Location", location);
      exchange.sendResponseHeaders(code, -1);
    };
  }

  /** Announces the whole body, sends its first half, then waits for the server to close. */
  HttpHandler stall(byte[] body) {
    return exchange -> {
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body, 0, body.length / 2);
      exchange.getResponseBody().flush();
      awaitClose();
    };
  }

  private void awaitClose() {
    try {
      closing.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
