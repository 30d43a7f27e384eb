#!/usr/bin/env python3
"""Writes the Mosquitto ACL and password file of a Fieldproof fleet.

Every gateway gets its own user, {namespace}.{gateway}, bound by explicit `user` blocks to its
own subtree of the MQTT contract v2 (docs/protocol.md#broker-acl):

    fieldproof/v2/{ns}/gw/{gw}/state                       write (birth, will, clean shutdown)
    fieldproof/v2/{ns}/gw/{gw}/dev/+/reported | events     write
    fieldproof/v2/{ns}/gw/{gw}/dev/+/desired               read
    fieldproof/v2/{ns}/models/#                            read

The operator's user reads everything of the namespace it reads (--operator-namespace, its
fieldproof.mqtt.namespace; default all) and writes desired states and models there. Every client may use its own retained-barrier topic fieldproof/sync/<client id>
(a `pattern` line with %c: Mosquitto substitutes the client id, and refuses the pattern for ids
holding '+', '#' or '/'). Gateway rules are never `pattern` lines: a pattern applies to every
user, and %u cannot stand for two topic levels ({ns} and {gw}).

Gateways come from --gateway NS/GW arguments and/or a --gateways file:

    plant-a:
      - gw-1
      - gw-2
    plant-b: [gw-1]

Passwords: --passwords FILE holds `user:password` lines in plain text (0600); with
--generate-missing, a random password is added there for every user that has none. The file is
hashed into OUT/passwd with `mosquitto_passwd -U` (Debian package mosquitto).

    scripts/broker-config.py --gateways gateways.yaml \\
        --passwords secrets.txt --generate-missing --out broker/
    # broker/acl -> acl_file, broker/passwd -> password_file of mosquitto.conf
"""

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile

ROOT = "fieldproof/v2"
NAMESPACE = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
GATEWAY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def gateway_user(namespace, gateway):
    """A gateway's user name: a namespace holds no '.', so the first '.' splits it again."""
    return f"{namespace}.{gateway}"


def parse_gateways_file(path):
    """The small YAML shape above: `ns:` then `- gw` items, or `ns: [gw, gw]`."""
    result = {}
    current = None
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].rstrip()
            if not line.strip():
                continue
            item = re.match(r"^\s+-\s*(\S+)\s*$", line)
            key = re.match(r"^([^\s:]+):\s*(.*)$", line)
            if item and current is not None:
                result[current].append(item.group(1).strip("'\""))
            elif key:
                current = key.group(1).strip("'\"")
                result.setdefault(current, [])
                rest = key.group(2).strip()
                if rest.startswith("[") and rest.endswith("]"):
                    names = [n.strip().strip("'\"") for n in rest[1:-1].split(",")]
                    result[current].extend(n for n in names if n)
                    current = None
                elif rest:
                    sys.exit(f"{path}:{number}: expected a list of gateways after '{current}:'")
            else:
                sys.exit(f"{path}:{number}: expected 'namespace:' or '- gateway', got: {line}")
    return result


def collect(args):
    gateways = {}
    if args.gateways:
        for ns, names in parse_gateways_file(args.gateways).items():
            gateways.setdefault(ns, []).extend(names)
    for pair in args.gateway:
        ns, sep, gw = pair.partition("/")
        if not sep:
            sys.exit(f"--gateway {pair}: expected NAMESPACE/GATEWAY")
        gateways.setdefault(ns, []).append(gw)
    for ns, names in gateways.items():
        if not NAMESPACE.match(ns):
            sys.exit(f"'{ns}' is not a Kubernetes namespace name")
        for gw in names:
            if not GATEWAY.match(gw):
                sys.exit(f"gateway '{gw}' of {ns} does not match [A-Za-z0-9][A-Za-z0-9._-]{{0,127}}")
    return {ns: sorted(set(names)) for ns, names in sorted(gateways.items())}


def operator_block(user, namespace):
    """The operator subscribes under one namespace or all (+), and the ACL grants exactly that.
    Mosquitto 2.0.11 acknowledges any subscription and checks read access on every message it
    delivers; granting what a client subscribes to holds however a broker checks."""
    base = f"{ROOT}/{namespace or '+'}"
    return [
        "# the operator: reads its namespaces, writes desired states and models",
        f"user {user}",
        f"topic read {base}/gw/+/state",
        f"topic read {base}/gw/+/dev/+/reported",
        f"topic read {base}/gw/+/dev/+/events",
        f"topic readwrite {base}/gw/+/dev/+/desired",
        f"topic readwrite {base}/models/#",
        # the shared subscription to device events, for brokers that check subscriptions
        f"topic read $share/+/{base}/gw/+/dev/+/events",
    ]


def gateway_block(ns, gw):
    base = f"{ROOT}/{ns}/gw/{gw}"
    return [
        f"# gateway {gw} of namespace {ns}",
        f"user {gateway_user(ns, gw)}",
        f"topic write {base}/state",
        f"topic write {base}/dev/+/reported",
        f"topic write {base}/dev/+/events",
        f"topic read {base}/dev/+/desired",
        f"topic read {ROOT}/{ns}/models/#",
    ]


def acl_text(operator, operator_namespace, gateways):
    lines = [
        "# Fieldproof broker ACL, written by scripts/broker-config.py: do not edit, run it again.",
        "# Each user reaches only what its block lists; what no line grants is denied.",
        "",
        "# every client: its own retained-barrier marker (fieldproof/sync/<client id>)",
        "pattern readwrite fieldproof/sync/%c",
        "",
    ]
    lines += operator_block(operator, operator_namespace)
    for ns, names in gateways.items():
        for gw in names:
            lines += [""] + gateway_block(ns, gw)
    return "\n".join(lines) + "\n"


def read_passwords(path):
    passwords = {}
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if line and not line.startswith("#"):
                    user, sep, password = line.partition(":")
                    if not sep or not password:
                        sys.exit(f"{path}: expected user:password, got a line for '{user}'")
                    passwords[user] = password
    return passwords


def write_private(path, text):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)


def write_password_file(args, users, out):
    passwords = read_passwords(args.passwords)
    missing = [u for u in users if u not in passwords]
    if missing and not args.generate_missing:
        sys.exit(f"no password in {args.passwords} for: {', '.join(missing)} (--generate-missing adds them)")
    if missing:
        for user in missing:
            passwords[user] = secrets.token_urlsafe(24)
        text = "".join(f"{u}:{p}\n" for u, p in sorted(passwords.items()))
        write_private(args.passwords, text)
        print(f"added passwords for {len(missing)} users to {args.passwords}", file=sys.stderr)
    tool = shutil.which("mosquitto_passwd") or "/usr/bin/mosquitto_passwd"
    if not os.access(tool, os.X_OK):
        sys.exit("mosquitto_passwd is missing: apt-get install -y mosquitto")
    target = os.path.join(out, "passwd")
    with tempfile.NamedTemporaryFile("w", dir=out, delete=False, encoding="utf-8") as tmp:
        tmp.write("".join(f"{u}:{passwords[u]}\n" for u in users))
    os.chmod(tmp.name, 0o600)
    subprocess.run([tool, "-U", tmp.name], check=True)
    os.replace(tmp.name, target)
    # mosquitto reads it after dropping root
    os.chmod(target, 0o644 if args.world_readable else 0o600)
    return target


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gateways", help="YAML file: namespace -> list of gateway ids")
    parser.add_argument("--gateway", action="append", default=[], metavar="NS/GW",
                        help="one gateway; may be repeated")
    parser.add_argument("--operator-user", default="fieldproof-operator")
    parser.add_argument("--operator-namespace", metavar="NS",
                        help="the one namespace whose topics the operator reads (its"
                             " fieldproof.mqtt.namespace); default: every namespace (+)")
    parser.add_argument("--passwords", help="plain-text user:password file to hash into OUT/passwd")
    parser.add_argument("--generate-missing", action="store_true",
                        help="add a random password to --passwords for every user without one")
    parser.add_argument("--world-readable", action="store_true",
                        help="make OUT/passwd readable by all (a broker that drops root to its own user)")
    parser.add_argument("--out", required=True, help="folder for acl (and passwd)")
    args = parser.parse_args()

    gateways = collect(args)
    if args.operator_namespace and not NAMESPACE.match(args.operator_namespace):
        sys.exit(f"'{args.operator_namespace}' is not a Kubernetes namespace name")
    os.makedirs(args.out, exist_ok=True)
    acl = os.path.join(args.out, "acl")
    with open(acl, "w", encoding="utf-8") as f:
        f.write(acl_text(args.operator_user, args.operator_namespace, gateways))
    os.chmod(acl, 0o644)
    print(acl)
    if args.passwords:
        users = [args.operator_user] + [gateway_user(ns, gw) for ns, names in gateways.items() for gw in names]
        print(write_password_file(args, users, args.out))


if __name__ == "__main__":
    main()
