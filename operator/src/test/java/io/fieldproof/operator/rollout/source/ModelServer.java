package io.fieldproof.operator.rollout.source;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on the loopback for the fetch tests: each path answers as the test sets it up,
 * and requests are counted. A stalled answer is held until the server closes.
 */
final class ModelServer implements AutoCloseable {

  static final String FIXTURE = "dense_anomaly.tflite";

  /** sha256 of the fixture model. */
  static final String FIXTURE_SHA256 =
      "aa8c95b2b1938c8162de16afa740d66d58233ed9d004acb054c980a0a3185250";

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final AtomicInteger requests = new AtomicInteger();
  private final CountDownLatch closing = new CountDownLatch(1);

  private ModelServer(HttpServer server) {
    this.server = server;
    server.setExecutor(executor);
    server.start();
  }

  static ModelServer start() throws IOException {
    return new ModelServer(
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
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

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  int requests() {
    return requests.get();
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
