#!/usr/bin/env python3
"""A tiny MQTT 3.1.1 client over a raw socket, standard library only, for test/images/smoke.sh.

  mqtt-probe.py PORT [--retain TEXT] [--expect TEXT] [--wait SECONDS]

Connects to 127.0.0.1:PORT (retrying until --wait runs out) with CONNECT and requires a CONNACK
that accepts it. --retain publishes TEXT retained on fieldproof/smoke; --expect then subscribes to
fieldproof/smoke and requires the retained message to be TEXT. Exits 0 and prints what it did, or
exits 1 with the reason.
"""

import argparse
import socket
import struct
import sys
import time

TOPIC = "fieldproof/smoke"


def encode_length(n):
    out = bytearray()
    while True:
        byte, n = n % 128, n // 128
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def utf8(text):
    data = text.encode()
    return struct.pack("!H", len(data)) + data


def packet(first_byte, body):
    return bytes([first_byte]) + encode_length(len(body)) + body


def read_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise SystemExit(f"mqtt-probe: the broker closed the connection (after {data!r})")
        data += chunk
    return data


def read_packet(sock):
    first = read_exact(sock, 1)[0]
    length, shift = 0, 0
    while True:
        byte = read_exact(sock, 1)[0]
        length |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            break
    return first, read_exact(sock, length)


def connect(port, wait):
    deadline = time.monotonic() + wait
    while True:
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            break
        except OSError as e:
            if time.monotonic() > deadline:
                raise SystemExit(f"mqtt-probe: nothing listens on 127.0.0.1:{port} after {wait} s: {e}")
            time.sleep(0.2)
    sock.settimeout(5)
    client_id = f"smoke-probe-{int(time.time() * 1000) % 100000}"
    # variable header: protocol name, level 4 (3.1.1), flags: clean session, keep alive 30 s
    body = utf8("MQTT") + bytes([4, 0x02]) + struct.pack("!H", 30) + utf8(client_id)
    sock.sendall(packet(0x10, body))
    first, rest = read_packet(sock)
    if first != 0x20 or len(rest) != 2:
        raise SystemExit(f"mqtt-probe: expected a CONNACK, got type {first >> 4} {rest!r}")
    if rest[1] != 0:
        raise SystemExit(f"mqtt-probe: CONNACK refused the connection, return code {rest[1]}")
    return sock, client_id


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("--retain")
    parser.add_argument("--expect")
    parser.add_argument("--wait", type=float, default=30)
    args = parser.parse_args()

    sock, client_id = connect(args.port, args.wait)
    done = [f"CONNECT as {client_id}, CONNACK accepted"]
    if args.retain is not None:
        # PUBLISH, QoS 0, retain
        sock.sendall(packet(0x31, utf8(TOPIC) + args.retain.encode()))
        done.append(f"PUBLISH retained {args.retain!r}")
    if args.expect is not None:
        sock.sendall(packet(0x82, struct.pack("!H", 1) + utf8(TOPIC) + bytes([0])))
        first, rest = read_packet(sock)
        if first != 0x90 or rest != b"\x00\x01\x00":
            raise SystemExit(f"mqtt-probe: expected a SUBACK granting QoS 0, got {first:#x} {rest!r}")
        first, rest = read_packet(sock)
        if first >> 4 != 3:
            raise SystemExit(f"mqtt-probe: expected the retained PUBLISH, got type {first >> 4}")
        topic_length = struct.unpack("!H", rest[:2])[0]
        topic, payload = rest[2:2 + topic_length].decode(), rest[2 + topic_length:].decode()
        if not first & 0x01 or topic != TOPIC or payload != args.expect:
            raise SystemExit(f"mqtt-probe: expected {args.expect!r} retained on {TOPIC}, "
                             f"got {payload!r} on {topic} (retain flag {first & 1})")
        done.append(f"SUBSCRIBE, SUBACK, retained {payload!r} received")
    sock.sendall(packet(0xE0, b""))
    sock.close()
    print("; ".join(done))


if __name__ == "__main__":
    try:
        main()
    except socket.timeout:
        print("mqtt-probe: no answer from the broker within 5 s", file=sys.stderr)
        sys.exit(1)
    except SystemExit as e:
        if isinstance(e.code, str):
            print(e.code, file=sys.stderr)
            sys.exit(1)
        raise
