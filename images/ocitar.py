#!/usr/bin/env python3
"""Writes container images as tar archives without a container daemon or a registry.

Each archive is both an OCI image layout (oci-layout, index.json, blobs/sha256/...) and a
docker-archive (manifest.json naming the same blobs), as `docker save` writes since Docker 25:
`ctr images import`, `podman load`, `skopeo copy oci-archive:` / `docker-archive:` and Jib's
`tar://` base all read it.

  ocitar.py rootfs ROOTFS.tar OUT.tar --name REF [--env K=V]... [--label K=V]...
      one image of one layer: a root file system (here mmdebstrap's output).
  ocitar.py app RECIPE.json OUT.tar --base BASE.tar --name REF --source-dir DIR [--label K=V]...
      a base image plus the layers a recipe lists, files taken from DIR.

Layers are gzip-compressed and reproducible: entries sorted, owned by root, times fixed, so the
same files give the same digest whatever the day or the machine.
"""

import argparse
import fnmatch
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile
import tempfile
import time

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar"
OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
# Jib's choice: one second after the epoch, as some tools treat 0 as "no time".
FILE_MTIME = 1
# Folders a runtime mounts over: present in every root, even when the root tar lacks them.
MOUNT_POINTS = ("dev", "proc", "sys", "tmp", "run")


def strip_dot(name):
    """A tar member's name without the "./" prefix mmdebstrap and docker give them."""
    while name.startswith("./"):
        name = name[2:]
    return name


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


class Blob:
    """Bytes stored under blobs/sha256/<digest>, with the media type a manifest gives them."""

    def __init__(self, media_type, data=None, path=None, digest=None, size=None):
        self.media_type = media_type
        self.data = data
        self.path = path
        self.digest = digest or "sha256:" + sha256_hex(data)
        self.size = size if size is not None else len(data)

    def descriptor(self):
        return {"mediaType": self.media_type, "digest": self.digest, "size": self.size}

    def name(self):
        return "blobs/sha256/" + self.digest.split(":", 1)[1]


class Layer:
    """A gzip-compressed layer written to a spool file; diff_id is the digest of the plain tar."""

    def __init__(self, workdir, comment):
        self.comment = comment
        self._spool = tempfile.NamedTemporaryFile(dir=workdir, suffix=".tar.gz", delete=False)
        self._plain_hash = hashlib.sha256()
        # no file name and no time in the gzip header: the same tar gives the same blob
        self._gzip = gzip.GzipFile(filename="", fileobj=self._spool, mode="wb", compresslevel=6, mtime=0)
        self.tar = tarfile.open(fileobj=self, mode="w|", format=tarfile.PAX_FORMAT)
        self.blob = None
        self.diff_id = None

    def write(self, data):  # the plain tar stream passes through here
        self._plain_hash.update(data)
        self._gzip.write(data)
        return len(data)

    def close(self):
        self.tar.close()
        self._gzip.close()
        self._spool.close()
        digest = hashlib.sha256()
        with open(self._spool.name, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        self.diff_id = "sha256:" + self._plain_hash.hexdigest()
        self.blob = Blob(
            OCI_LAYER_GZIP,
            path=self._spool.name,
            digest="sha256:" + digest.hexdigest(),
            size=os.path.getsize(self._spool.name),
        )

    def add_dir(self, name, mode=0o755, uid=0, gid=0):
        info = tarfile.TarInfo(name)
        info.type = tarfile.DIRTYPE
        info.mode, info.uid, info.gid, info.mtime = mode, uid, gid, FILE_MTIME
        self.tar.addfile(info)

    def add_file(self, name, source):
        info = tarfile.TarInfo(name)
        info.size = os.path.getsize(source)
        executable = os.stat(source).st_mode & 0o111
        info.mode = 0o755 if executable else 0o644
        info.uid = info.gid = 0
        info.mtime = FILE_MTIME
        with open(source, "rb") as f:
            self.tar.addfile(info, f)


class BaseImage:
    """An image read from an OCI layout or docker-archive tar: its config and layer blobs."""

    def __init__(self, path):
        self.path = path
        with tarfile.open(path, "r:*") as tar:
            members = {strip_dot(m.name): m for m in tar.getmembers()}

            def read(name):
                return tar.extractfile(members[strip_dot(name)]).read()

            if "index.json" in members:
                self._from_oci(read)
            elif "manifest.json" in members:
                self._from_docker(read, members, tar)
            else:
                raise SystemExit(f"{path}: neither an OCI layout nor a docker-archive")

    def _from_oci(self, read):
        descriptor = json.loads(read("index.json"))["manifests"][0]
        manifest = json.loads(read(blob_name(descriptor["digest"])))
        while manifest.get("mediaType") in (OCI_INDEX, DOCKER_MANIFEST_LIST) or "manifests" in manifest:
            amd64 = [m for m in manifest["manifests"] if m.get("platform", {}).get("architecture") == "amd64"]
            manifest = json.loads(read(blob_name((amd64 or manifest["manifests"])[0]["digest"])))
        self.config = json.loads(read(blob_name(manifest["config"]["digest"])))
        self.layers = [(layer["mediaType"].replace("vnd.docker.image.rootfs.diff.tar.gzip",
                                                   "vnd.oci.image.layer.v1.tar+gzip"),
                        blob_name(layer["digest"]), layer["digest"], layer["size"])
                       for layer in manifest["layers"]]

    def _from_docker(self, read, members, tar):
        manifest = json.loads(read("manifest.json"))[0]
        self.config = json.loads(read(manifest["Config"]))
        self.layers = []
        for name in manifest["Layers"]:
            member = members[strip_dot(name)]
            head = tar.extractfile(member).read(2)
            digest = hashlib.sha256()
            f = tar.extractfile(member)
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
            media = OCI_LAYER_GZIP if head == b"\x1f\x8b" else OCI_LAYER
            self.layers.append((media, name, "sha256:" + digest.hexdigest(), member.size))

    def blobs(self):
        """The layer blobs, each read from the base tar when the output is written."""
        return [Blob(media, path=(self.path, member), digest=digest, size=size)
                for media, member, digest, size in self.layers]


def blob_name(digest):
    return "blobs/sha256/" + digest.split(":", 1)[1]


def write_archive(out, ref, config, layer_blobs):
    """Writes config, manifest and layers as an OCI layout that is also a docker-archive."""
    config_blob = Blob(OCI_CONFIG, data=json.dumps(config, indent=2, sort_keys=True).encode())
    manifest = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": config_blob.descriptor(),
        "layers": [b.descriptor() for b in layer_blobs],
    }
    manifest_blob = Blob(OCI_MANIFEST, data=json.dumps(manifest, indent=2).encode())
    index = {
        "schemaVersion": 2,
        "mediaType": OCI_INDEX,
        "manifests": [dict(manifest_blob.descriptor(),
                           platform={"architecture": config["architecture"], "os": config["os"]},
                           annotations={
                               # containerd names the image after this one (ctr images import)
                               "io.containerd.image.name": ref,
                               # podman, skopeo and buildah after this one
                               "org.opencontainers.image.ref.name": ref,
                           })],
    }
    docker_manifest = [{
        "Config": config_blob.name(),
        "RepoTags": [ref],
        "Layers": [b.name() for b in layer_blobs],
    }]
    partial = out + ".partial"
    seen = set()
    with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
        add_bytes(tar, "oci-layout", json.dumps({"imageLayoutVersion": "1.0.0"}).encode())
        add_dir(tar, "blobs")
        add_dir(tar, "blobs/sha256")
        for blob in [config_blob, manifest_blob] + list(layer_blobs):
            if blob.digest in seen:
                continue
            seen.add(blob.digest)
            add_blob(tar, blob)
        add_bytes(tar, "index.json", json.dumps(index, indent=2).encode())
        add_bytes(tar, "manifest.json", json.dumps(docker_manifest, indent=2).encode())
    os.replace(partial, out)
    return manifest_blob.digest


def add_dir(tar, name):
    info = tarfile.TarInfo(name)
    info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, FILE_MTIME
    tar.addfile(info)


def add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o644, FILE_MTIME
    tar.addfile(info, io.BytesIO(data))


def add_blob(tar, blob):
    info = tarfile.TarInfo(blob.name())
    info.size, info.mode, info.mtime = blob.size, 0o644, FILE_MTIME
    if blob.data is not None:
        tar.addfile(info, io.BytesIO(blob.data))
    elif isinstance(blob.path, tuple):  # a member of the base image's tar
        with tarfile.open(blob.path[0], "r:*") as base:
            member = [m for m in base.getmembers() if strip_dot(m.name) == strip_dot(blob.path[1])][0]
            tar.addfile(info, base.extractfile(member))
    else:
        with open(blob.path, "rb") as f:
            tar.addfile(info, f)


def parse_pairs(pairs):
    result = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"expected KEY=VALUE, got {pair!r}")
        result[key] = value
    return result


def created_time():
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def cmd_rootfs(args):
    """One layer from a root file system tar; entries copied as they are, mount points added."""
    workdir = os.path.dirname(os.path.abspath(args.out))
    layer = Layer(workdir, "root file system")
    try:
        present = set()
        with tarfile.open(args.rootfs, "r:*") as source:
            for member in source:
                name = strip_dot(member.name).rstrip("/")
                if name in ("", "."):
                    continue
                present.add(name)
                member.name = name
                if member.islnk():
                    member.linkname = strip_dot(member.linkname)
                data = source.extractfile(member) if member.isreg() else None
                layer.tar.addfile(member, data)
        for name in MOUNT_POINTS:
            if name not in present:
                layer.add_dir(name, mode=0o1777 if name == "tmp" else 0o755)
        layer.close()
        created = created_time()
        config = {
            "architecture": "amd64",
            "os": "linux",
            "created": created,
            "config": {
                "Env": [f"{k}={v}" for k, v in parse_pairs(args.env).items()],
                "Labels": parse_pairs(args.label),
                "Cmd": ["/bin/bash"],
            },
            "rootfs": {"type": "layers", "diff_ids": [layer.diff_id]},
            "history": [{"created": created, "created_by": "mmdebstrap (images/base/build.sh)",
                         "comment": layer.comment}],
        }
        digest = write_archive(args.out, args.name, config, [layer.blob])
    finally:
        if os.path.exists(layer._spool.name):
            os.unlink(layer._spool.name)
    print(f"{args.name} {digest} {args.out}")


def matches(path, patterns):
    return any(fnmatch.fnmatchcase(path, p) for p in patterns)


def plan_layers(recipe, source_dir):
    """Assigns every file under source_dir to exactly one layer of the recipe, or fails."""
    files = []
    for dirpath, dirnames, filenames in os.walk(source_dir):
        dirnames.sort()
        for filename in sorted(filenames):
            full = os.path.join(dirpath, filename)
            files.append(os.path.relpath(full, source_dir).replace(os.sep, "/"))
    plan = [[] for _ in recipe["layers"]]
    for path in files:
        owners = [i for i, layer in enumerate(recipe["layers"])
                  if matches(path, layer["include"]) and not matches(path, layer.get("exclude", []))]
        if len(owners) > 1:
            raise SystemExit(f"{path} matches more than one layer of the recipe: {owners}")
        if owners:
            plan[owners[0]].append(path)
        elif not matches(path, recipe.get("ignore", [])):
            raise SystemExit(f"{path} (under {source_dir}) is in no layer of the recipe and not ignored")
    for layer, paths in zip(recipe["layers"], plan):
        if not paths:
            raise SystemExit(f"layer '{layer['comment']}' of the recipe matches no file under {source_dir}")
    return plan


def target_name(layer, path):
    renames = layer.get("rename", {})
    for pattern, new_name in renames.items():
        if fnmatch.fnmatchcase(path, pattern):
            path = new_name
    return (layer["into"].rstrip("/") + "/" + path).lstrip("/")


def cmd_app(args):
    with open(args.recipe) as f:
        recipe = json.load(f)
    base = BaseImage(args.base)
    plan = plan_layers(recipe, args.source_dir)
    workdir = os.path.dirname(os.path.abspath(args.out))
    layers = []
    try:
        for layer_spec, paths in zip(recipe["layers"], plan):
            layer = Layer(workdir, layer_spec["comment"])
            layers.append(layer)
            written_dirs = set()
            entries = sorted((target_name(layer_spec, p), p) for p in paths)
            for target, path in entries:
                parts = target.split("/")[:-1]
                for i in range(1, len(parts) + 1):
                    folder = "/".join(parts[:i])
                    if folder not in written_dirs:
                        written_dirs.add(folder)
                        layer.add_dir(folder)
                layer.add_file(target, os.path.join(args.source_dir, path))
            for folder in layer_spec.get("dirs", []):  # empty folders the app writes to
                layer.add_dir(folder["path"].strip("/"), mode=int(folder.get("mode", "0755"), 8),
                              uid=folder.get("uid", 0), gid=folder.get("gid", 0))
            layer.close()

        created = created_time()
        config = json.loads(json.dumps(base.config))
        settings = config.setdefault("config", {})
        env = dict(e.split("=", 1) for e in settings.get("Env") or [])
        for key, value in recipe.get("env", {}).items():
            env[key] = value
        for key, value in recipe.get("envIfAbsent", {}).items():
            env.setdefault(key, value)
        settings["Env"] = [f"{k}={v}" for k, v in env.items()]
        settings["Entrypoint"] = recipe["entrypoint"]
        settings["Cmd"] = recipe.get("cmd")
        settings["User"] = recipe["user"]
        settings["WorkingDir"] = recipe.get("workdir", "/")
        settings["ExposedPorts"] = {p: {} for p in recipe.get("ports", [])} or None
        labels = dict(settings.get("Labels") or {})
        labels.update(recipe.get("labels", {}))
        labels.update(parse_pairs(args.label))
        settings["Labels"] = labels
        settings["StopSignal"] = "SIGTERM"
        for key in [k for k, v in settings.items() if v is None]:
            del settings[key]
        config["created"] = created
        config.setdefault("rootfs", {"type": "layers", "diff_ids": []})
        config["rootfs"]["diff_ids"] = list(config["rootfs"].get("diff_ids", [])) + [l.diff_id for l in layers]
        config["history"] = list(config.get("history", [])) + [
            {"created": created, "created_by": "images/ocitar.py app " + os.path.basename(args.recipe),
             "comment": l.comment} for l in layers]
        if len(config["rootfs"]["diff_ids"]) != len(base.layers) + len(layers):
            raise SystemExit(f"{args.base}: its config and manifest disagree on the number of layers")
        digest = write_archive(args.out, args.name, config, base.blobs() + [l.blob for l in layers])
    finally:
        for layer in layers:
            if os.path.exists(layer._spool.name):
                os.unlink(layer._spool.name)
    sizes = ", ".join(f"{l.comment} {l.blob.size / 1e6:.1f} MB" for l in layers)
    print(f"{args.name} {digest} {args.out} ({sizes})")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    rootfs = sub.add_parser("rootfs", help="an image of one layer from a root file system tar")
    rootfs.add_argument("rootfs")
    rootfs.add_argument("out")
    rootfs.add_argument("--name", required=True)
    rootfs.add_argument("--env", action="append")
    rootfs.add_argument("--label", action="append")
    rootfs.set_defaults(func=cmd_rootfs)
    app = sub.add_parser("app", help="a base image plus the layers of a recipe")
    app.add_argument("recipe")
    app.add_argument("out")
    app.add_argument("--base", required=True)
    app.add_argument("--name", required=True)
    app.add_argument("--source-dir", required=True)
    app.add_argument("--label", action="append")
    app.set_defaults(func=cmd_app)
    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main(sys.argv[1:])
