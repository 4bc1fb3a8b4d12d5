#!/usr/bin/env bash
# Makes the Pulumi CLI (`pulumi`) and the dynamic-provider plugin (`pulumi-resource-pulumi-python`)
# available, and prints the directory to put on PATH as the last line of stdout.
#
# Order of preference:
#   1. already on PATH at a compatible version (>= the installed pulumi Python SDK);
#   2. the official installer, when get.pulumi.com is reachable;
#   3. a build from the Go module proxy (the only way on machines without internet).
# Everything is installed into a versioned cache outside the repository so that a clean clone
# (CI) reuses it: ${PULUMI_DESCOPE_CACHE:-$HOME/.cache/pulumi-descope-dynamic}/pulumi-<version>/bin.
#
# The Python language host (`pulumi-language-python`) has no tagged module on the Go proxy, so we
# do not rely on it: the demo and the e2e tests run the real engine through the Automation API with
# inline programs, which needs only the two programs above.
set -euo pipefail

PULUMI_VERSION="${PULUMI_CLI_VERSION:-3.274.1}"
# The one non-relative replace directive of pulumi/pkg's go.mod; `go install pkg@v` refuses the
# module because of its relative replace for sdk/, so we build through a throw-away wrapper module.
CLIPBOARD_REPLACE="github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e"
CACHE_ROOT="${PULUMI_DESCOPE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-descope-dynamic}"
BIN_DIR="$CACHE_ROOT/pulumi-$PULUMI_VERSION/bin"

log() { echo "get-pulumi: $*" >&2; }

version_ge() { # version_ge A B: is A >= B (dotted numeric)
  [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -1)" = "$2" ]
}

install_plugin_script() {
  # The dynamic-provider plugin is a two-line script running the Python SDK's gRPC server. It must
  # use the Python that has this package installed: PULUMI_DESCOPE_PYTHON, else `python3` on PATH
  # at run time (the venv's, when make or the tests put it first).
  cat >"$1/pulumi-resource-pulumi-python" <<'PLUGIN'
#!/bin/sh
exec "${PULUMI_DESCOPE_PYTHON:-python3}" -u -m pulumi.dynamic "$@"
PLUGIN
  chmod +x "$1/pulumi-resource-pulumi-python"
}

# 1. Cached from an earlier run.
if [ -x "$BIN_DIR/pulumi" ] && [ -x "$BIN_DIR/pulumi-resource-pulumi-python" ]; then
  log "using cached Pulumi CLI v$PULUMI_VERSION in $BIN_DIR"
  echo "$BIN_DIR"
  exit 0
fi

# 2. Already on PATH at a compatible version: not older than the pulumi Python SDK in use (a CLI
# newer than the SDK is the supported direction), and at least 3.139 (dynamic-provider configure()).
sdk_version="$("${PULUMI_DESCOPE_PYTHON:-python3}" -c 'from importlib.metadata import version; print(version("pulumi"))' 2>/dev/null || true)"
min_version="${sdk_version:-3.139.0}"
if command -v pulumi >/dev/null 2>&1; then
  have="$(pulumi version 2>/dev/null | sed 's/^v//')"
  if [ -n "$have" ] && version_ge "$have" "$min_version" && version_ge "$have" "3.139.0"; then
    dir="$(dirname "$(command -v pulumi)")"
    if [ -x "$dir/pulumi-resource-pulumi-python" ] || command -v pulumi-resource-pulumi-python >/dev/null; then
      log "using Pulumi CLI v$have from PATH ($dir)"
      echo "$dir"
      exit 0
    fi
  fi
fi

mkdir -p "$BIN_DIR"

# 3. The official installer, when its host answers.
if curl -fsS --max-time 10 -o /dev/null https://get.pulumi.com/ 2>/dev/null; then
  log "installing Pulumi CLI v$PULUMI_VERSION with the official installer"
  tmp="$(mktemp -d)"
  curl -fsSL https://get.pulumi.com | sh -s -- --version "$PULUMI_VERSION" --install-root "$tmp" --no-edit-path >&2
  cp "$tmp/bin/"* "$BIN_DIR/"
  rm -rf "$tmp"
  [ -x "$BIN_DIR/pulumi-resource-pulumi-python" ] || install_plugin_script "$BIN_DIR"
  echo "$BIN_DIR"
  exit 0
fi

# 4. Build from the Go module proxy.
if ! command -v go >/dev/null 2>&1; then
  log "cannot obtain the Pulumi CLI: it is not on PATH, get.pulumi.com is unreachable and Go is"
  log "not installed. Install the Pulumi CLI (https://www.pulumi.com/docs/install/) or Go 1.24+."
  exit 1
fi
log "building Pulumi CLI v$PULUMI_VERSION from the Go module proxy (a cold build takes minutes)"
start=$(date +%s)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(
  cd "$work"
  go mod init pulumi-cli-build >/dev/null 2>&1
  go mod edit -replace "$CLIPBOARD_REPLACE"
  go get -tool "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$PULUMI_VERSION" \
    "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION" >&2
  CGO_ENABLED=0 go build -trimpath -o "$BIN_DIR/pulumi.partial" \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
) || {
  log "building the Pulumi CLI from the Go module proxy failed (see above). Install the Pulumi CLI"
  log "(https://www.pulumi.com/docs/install/) and put it on PATH, then run this again."
  exit 1
}
mv "$BIN_DIR/pulumi.partial" "$BIN_DIR/pulumi"
install_plugin_script "$BIN_DIR"
log "built in $(( $(date +%s) - start )) s, $(du -m "$BIN_DIR/pulumi" | cut -f1) MiB, into $BIN_DIR"
echo "$BIN_DIR"
