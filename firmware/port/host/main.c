/*
 * fieldproof-fw-host: the firmware core on a POSIX host, serving the device protocol over TCP as
 * the Java emulators do (the agent opens tcp://127.0.0.1:PORT). One host at a time: a new
 * connection takes the line over from the previous one.
 *
 *   fieldproof-fw-host --chip stm32f4 --port 7001 [--seed 1 | --device-id ID] [--firmware V]
 *                      [--flash-file PATH] [--telemetry-ms 1000] [--bind 127.0.0.1]
 *                      [--power-cut-after BYTES]
 *
 * Prints "<device id> <chip> tcp://<address>:<port>" once it listens. --power-cut-after N: the
 * process exits with status 3 ("power cut" on stderr) when N more flash bytes have been programmed
 * (counted from the start, boot included), keeping only what reached the flash file before.
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fp_device.h"
#include "fp_host_flash.h"
#include "fp_host_identity.h"
#include "fp_host_ports.h"
#include "fp_runner_int8.h"

#define FIRMWARE_VERSION "0.1.0+fieldproof-c"

typedef struct {
  int client;
} line;

static fp_err line_write(void *ctx, const uint8_t *data, size_t len) {
  line *l = ctx;
  while (len > 0 && l->client >= 0) {
    ssize_t n = send(l->client, data, len, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close(l->client);
      l->client = -1;
      return FP_ERR_IO;
    }
    data += n;
    len -= (size_t)n;
  }
  return FP_OK;
}

static void usage(void) {
  fprintf(stderr,
          "usage: fieldproof-fw-host --chip esp32|esp32s3|stm32f4|stm32l4 [--port P] [--seed S]\n"
          "       [--device-id ID] [--firmware V] [--flash-file PATH] [--telemetry-ms MS]\n"
          "       [--bind ADDRESS] [--power-cut-after BYTES]\n");
  exit(2);
}

int main(int argc, char **argv) {
  const char *chip = NULL, *device_id = NULL, *flash_file = NULL, *bind_to = "127.0.0.1";
  const char *firmware = FIRMWARE_VERSION;
  long port = 7001, telemetry_ms = 1000;
  long long seed = 1, power_cut = -1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (v == NULL) usage();
    if (strcmp(a, "--chip") == 0) chip = v;
    else if (strcmp(a, "--port") == 0) port = strtol(v, NULL, 10);
    else if (strcmp(a, "--seed") == 0) seed = strtoll(v, NULL, 10);
    else if (strcmp(a, "--device-id") == 0) device_id = v;
    else if (strcmp(a, "--firmware") == 0) firmware = v;
    else if (strcmp(a, "--flash-file") == 0) flash_file = v;
    else if (strcmp(a, "--telemetry-ms") == 0) telemetry_ms = strtol(v, NULL, 10);
    else if (strcmp(a, "--bind") == 0) bind_to = v;
    else if (strcmp(a, "--power-cut-after") == 0) power_cut = strtoll(v, NULL, 10);
    else usage();
    i++;
  }
  if (chip == NULL || fp_layout_for_chip(chip) == NULL || telemetry_ms < 1) usage();

  static char id_buf[64];
  if (device_id == NULL) {
    if (fp_host_device_id(chip, seed, id_buf, sizeof id_buf) != FP_OK) usage();
    device_id = id_buf;
  }
  static fp_host_flash flash;
  fp_err err = fp_host_flash_open(&flash, fp_layout_for_chip(chip), flash_file);
  if (err != FP_OK) {
    fprintf(stderr, "fieldproof-fw-host: cannot open the flash %s: %s\n",
            flash_file ? flash_file : "(memory)", fp_err_name(err));
    return 1;
  }
  if (power_cut >= 0) {
    flash.exit_at_cut = true;
    fp_host_flash_cut_power_after(&flash, (uint64_t)power_cut);
  }

  static line l = {-1};
  static fp_stream_port stream;
  stream = (fp_stream_port){&l, line_write};
  static fp_host_sensors sensors;
  fp_host_sensors_init(&sensors);
  fp_ports ports = {&stream,        &flash.port,      fp_host_clock(),
                    &sensors.port, fp_runner_int8(), NULL /* no battery or link figure */};
  fp_identity identity = {device_id, chip, firmware, (uint32_t)telemetry_ms};
  static fp_device dev;
  err = fp_device_init(&dev, &identity, &ports);
  if (err != FP_OK) {
    fprintf(stderr, "fieldproof-fw-host: boot failed: %s\n", fp_err_name(err));
    return 1;
  }

  int server = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, bind_to, &addr.sin_addr) != 1 ||
      bind(server, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(server, 4) != 0) {
    fprintf(stderr, "fieldproof-fw-host: cannot listen on %s:%ld: %s\n", bind_to, port,
            strerror(errno));
    return 1;
  }
  socklen_t addr_len = sizeof addr;
  getsockname(server, (struct sockaddr *)&addr, &addr_len);
  printf("%s %s tcp://%s:%u\n", device_id, chip, bind_to, (unsigned)ntohs(addr.sin_port));
  fflush(stdout);

  uint8_t buf[4096];
  for (;;) {
    struct pollfd fds[2] = {{server, POLLIN, 0}, {l.client, POLLIN, 0}};
    int n = poll(fds, l.client >= 0 ? 2 : 1, 5);
    if (n < 0 && errno != EINTR) return 1;
    if (n > 0 && (fds[0].revents & POLLIN)) {
      int c = accept(server, NULL, NULL);
      if (c >= 0) {
        setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (l.client >= 0) close(l.client); /* a new host takes the line over */
        l.client = c;
        fp_device_line_reset(&dev);
        continue;
      }
    }
    if (n > 0 && l.client >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
      ssize_t got = recv(l.client, buf, sizeof buf, 0);
      if (got <= 0) {
        close(l.client);
        l.client = -1;
        fp_device_line_reset(&dev);
      } else {
        fp_device_receive(&dev, buf, (size_t)got);
      }
    }
    fp_device_poll(&dev);
  }
}
