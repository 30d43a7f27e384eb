/*
 * The node smoke test's workload, one static binary with two modes:
 *
 *   probe serve PORT TEXT        accept TCP connections forever; answer each with an
 *                                HTTP/1.0 200 response whose body is TEXT
 *   probe get HOST PORT EXPECT   connect to HOST:PORT (an IPv4 literal), send an HTTP/1.0
 *                                GET, print the answer; exit 0 only if it contains EXPECT
 *                                (retries for up to 30 s, so a Service that is still being
 *                                programmed does not fail the pod at once)
 *   probe cat FILE...            print files (a pod's service-account token volume, say)
 *
 * No DNS: the smoke test passes IPs (a Service's ClusterIP, the node's host address, or
 * $(KUBERNETES_SERVICE_HOST) expanded by the kubelet).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int serve(int port, const char *text) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(fd, 16) < 0) {
    perror("probe serve: bind/listen");
    return 1;
  }
  signal(SIGPIPE, SIG_IGN);
  printf("probe: serving on :%d\n", port);
  fflush(stdout);
  for (;;) {
    int c = accept(fd, NULL, NULL);
    if (c < 0) {
      continue;
    }
    char buf[1024];
    struct timeval tv = {.tv_sec = 2};
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    (void)read(c, buf, sizeof buf); /* the request; its content does not matter */
    char head[256];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n\r\n",
                     strlen(text) + 1);
    (void)write(c, head, n);
    (void)write(c, text, strlen(text));
    (void)write(c, "\n", 1);
    close(c);
  }
}

static int get_once(const char *host, int port, const char *expect) {
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
  if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
    fprintf(stderr, "probe get: '%s' is not an IPv4 address\n", host);
    return 2;
  }
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct timeval tv = {.tv_sec = 5};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
    fprintf(stderr, "probe get: connect %s:%d: %s\n", host, port, strerror(errno));
    close(fd);
    return 1;
  }
  const char *req = "GET / HTTP/1.0\r\nHost: probe\r\n\r\n";
  (void)write(fd, req, strlen(req));
  static char buf[65536];
  size_t len = 0;
  ssize_t n;
  while (len < sizeof buf - 1 && (n = read(fd, buf + len, sizeof buf - 1 - len)) > 0) {
    len += (size_t)n;
  }
  buf[len] = '\0';
  close(fd);
  printf("probe get %s:%d answered %zu bytes:\n%s\n", host, port, len, buf);
  fflush(stdout);
  return strstr(buf, expect) ? 0 : 1;
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "serve") == 0) {
    return serve(atoi(argv[2]), argv[3]);
  }
  if (argc == 5 && strcmp(argv[1], "get") == 0) {
    for (int attempt = 0; attempt < 30; attempt++) {
      int rc = get_once(argv[2], atoi(argv[3]), argv[4]);
      if (rc != 1) {
        return rc;
      }
      sleep(1);
    }
    fprintf(stderr, "probe get: no answer containing '%s' from %s:%s\n", argv[4], argv[2], argv[3]);
    return 1;
  }
  if (argc >= 3 && strcmp(argv[1], "cat") == 0) {
    for (int i = 2; i < argc; i++) {
      FILE *f = fopen(argv[i], "r");
      if (!f) {
        perror(argv[i]);
        return 1;
      }
      char buf[4096];
      size_t n;
      while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        fwrite(buf, 1, n, stdout);
      }
      fclose(f);
      putchar('\n');
    }
    return 0;
  }
  fprintf(stderr, "usage: probe serve PORT TEXT | probe get HOST PORT EXPECT | probe cat FILE...\n");
  return 2;
}
