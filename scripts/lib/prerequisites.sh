# Checks shared by the demo and the test command: each names what is missing and how to get it.

die() {
  echo "error: $*" >&2
  exit 2
}

require_java() {
  command -v java >/dev/null 2>&1 || die "Java 17 or newer is missing (apt-get install openjdk-17-jdk-headless)"
  local major
  major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')"
  [[ "${major%%.*}" -ge 17 ]] 2>/dev/null || die "Java 17 or newer is needed, found ${major:-unknown}"
}

require_go() {
  command -v go >/dev/null 2>&1 || die "Go 1.26.6 or newer is missing: it builds the local kube-apiserver, etcd and SeaweedFS (https://go.dev/doc/install)"
}

require_command() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is missing: $2"
}
