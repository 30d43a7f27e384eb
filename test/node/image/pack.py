#!/usr/bin/env python3
"""Packs static binaries into a single-layer image tar, with no registry and no Docker.

The tar holds an OCI image layout (oci-layout, index.json, blobs/sha256/...) and, beside it,
a docker-archive manifest.json pointing at the same blobs, so both `ctr images import`
(which reads the OCI index and its io.containerd.image.name annotation) and tools that only
read docker archives (podman load, docker load) take it. Output is byte-for-byte
reproducible: fixed mtimes, owners and ordering.

  pack.py --name fieldproof.local/pause:1 --out pause.tar --entrypoint /pause pause=/path/to/pause
"""
import argparse
import gzip
import hashlib
import io
import json
import tarfile


def tar_bytes(entries):
    """entries: list of (path, data bytes or None for a directory, mode)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path, data, mode in entries:
            info = tarfile.TarInfo(path)
            info.mtime = 0
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            info.mode = mode
            if data is None:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--name", required=True, help="full image reference, e.g. fieldproof.local/pause:1")
    parser.add_argument("--out", required=True)
    parser.add_argument("--entrypoint", required=True, help="path of the entrypoint inside the image")
    parser.add_argument("--cmd", action="append", default=[], help="default arguments (repeatable)")
    parser.add_argument("--user", default="65535:65535")
    parser.add_argument("files", nargs="+", help="DEST=SOURCE: a file to put at /DEST in the image")
    args = parser.parse_args()

    entries = [("etc", None, 0o755), ("tmp", None, 0o1777)]
    for spec in args.files:
        dest, source = spec.split("=", 1)
        with open(source, "rb") as f:
            entries.append((dest.lstrip("/"), f.read(), 0o755))
    entries.append(("etc/passwd", b"root:x:0:0:root:/:/nonexistent\nnobody:x:65534:65534:nobody:/:/nonexistent\n", 0o644))
    entries.append(("etc/group", b"root:x:0:\nnobody:x:65534:\n", 0o644))
    entries.sort(key=lambda e: e[0])

    layer = tar_bytes(entries)
    layer_gz = gzip.compress(layer, mtime=0)
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": "1970-01-01T00:00:00Z",
        "config": {
            "Entrypoint": [args.entrypoint],
            "Cmd": args.cmd or None,
            "User": args.user,
            "Env": ["PATH=/"],
            "WorkingDir": "/",
        },
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + sha256(layer)]},
        "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "test/node/image/pack.py"}],
    }
    if config["config"]["Cmd"] is None:
        del config["config"]["Cmd"]
    config_bytes = json.dumps(config, sort_keys=True, separators=(",", ":")).encode()
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": "sha256:" + sha256(config_bytes),
            "size": len(config_bytes),
        },
        "layers": [
            {
                "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                "digest": "sha256:" + sha256(layer_gz),
                "size": len(layer_gz),
            }
        ],
    }
    manifest_bytes = json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode()
    tag = args.name.rsplit(":", 1)[1] if ":" in args.name.rsplit("/", 1)[-1] else "latest"
    index = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [
            {
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "digest": "sha256:" + sha256(manifest_bytes),
                "size": len(manifest_bytes),
                "platform": {"architecture": "amd64", "os": "linux"},
                "annotations": {
                    "io.containerd.image.name": args.name,
                    "org.opencontainers.image.ref.name": tag,
                },
            }
        ],
    }
    blobs = {sha256(b): b for b in (layer_gz, config_bytes, manifest_bytes)}
    docker_manifest = [
        {
            "Config": "blobs/sha256/" + sha256(config_bytes),
            "RepoTags": [args.name],
            "Layers": ["blobs/sha256/" + sha256(layer_gz)],
        }
    ]
    out = [("blobs", None, 0o755), ("blobs/sha256", None, 0o755)]
    out += [("blobs/sha256/" + digest, data, 0o644) for digest, data in sorted(blobs.items())]
    out.append(("index.json", json.dumps(index, sort_keys=True, separators=(",", ":")).encode(), 0o644))
    out.append(("manifest.json", json.dumps(docker_manifest, separators=(",", ":")).encode(), 0o644))
    out.append(("oci-layout", b'{"imageLayoutVersion":"1.0.0"}', 0o644))
    with open(args.out, "wb") as f:
        f.write(tar_bytes(out))


if __name__ == "__main__":
    main()
