#!/usr/bin/env bash
# Makes the Pulumi CLI (`pulumi`) available with what a Python project needs beside it, and prints
# the directory to put on PATH as the last line of stdout:
#   - `pulumi-resource-pulumi-python`, the dynamic-provider plugin: the OFFICIAL script of the pulumi
#     sdk module (python/dist/ in the Go module cache), the one users' CLI downloads ship;
#   - `pulumi-language-python`, the Python language host. A CLI from the official installer ships the
#     real one. A CLI built from source has none (its Go module is not served by the proxy), so this
#     script installs the launcher of the test-only host in tests/support/language_host/.
#
# Order of preference for the CLI:
#   1. the copy cached by an earlier run;
#   2. a complete installation on PATH (with both companions) at a compatible version
#      (>= the installed pulumi Python SDK); one without them is copied into the cache;
#   3. the official installer, when get.pulumi.com is reachable;
#   4. a build from the Go module proxy (the only way on machines without internet).
# Everything is installed into a versioned cache outside the repository so that a clean clone
# (CI) reuses it: ${PULUMI_DESCOPE_CACHE:-$HOME/.cache/pulumi-descope-dynamic}/pulumi-<version>/bin.
# That cache is shared by every checkout and run on the machine: every step is idempotent, runs on an
# existing cache too, and replaces files by atomic rename, never in place.
set -euo pipefail

PULUMI_VERSION="${PULUMI_CLI_VERSION:-3.274.1}"
SDK_MODULE="github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION"
# The one non-relative replace directive of pulumi/pkg's go.mod; `go install pkg@v` refuses the
# module because of its relative replace for sdk/, so we build through a throw-away wrapper module.
CLIPBOARD_REPLACE="github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e"
CACHE_ROOT="${PULUMI_DESCOPE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-descope-dynamic}"
BIN_DIR="$CACHE_ROOT/pulumi-$PULUMI_VERSION/bin"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TEST_HOST_LAUNCHER="$HERE/../tests/support/language_host/pulumi-language-python"
# A line of the launcher that tells it apart from the real host (never overwritten).
TEST_HOST_MARKER="pulumi-descope-dynamic test language host"

log() { echo "get-pulumi: $*" >&2; }

version_ge() { # version_ge A B: is A >= B (dotted numeric)
  [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -1)" = "$2" ]
}

install_file() { # install_file SRC DEST: copy when the content differs, by atomic rename
  if cmp -s "$1" "$2"; then return 0; fi
  local tmp
  tmp="$(mktemp "$2.XXXXXX")"
  cp "$1" "$tmp"
  chmod 755 "$tmp"
  mv -f "$tmp" "$2"
  log "installed $2"
}

official_plugin_script() { # prints the official plugin script's path, downloading the sdk module if needed
  command -v go >/dev/null 2>&1 || return 1
  local script
  script="$(go env GOMODCACHE)/github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION/python/dist/pulumi-resource-pulumi-python"
  if [ ! -f "$script" ]; then
    log "downloading $SDK_MODULE from the Go module proxy for its plugin script"
    (cd "${TMPDIR:-/tmp}" && GOFLAGS=-mod=mod go mod download "$SDK_MODULE") >&2 || return 1
  fi
  [ -f "$script" ] && echo "$script"
}

install_companions() { # install_companions DIR: the official plugin script and a language host beside DIR/pulumi
  local plugin="$1/pulumi-resource-pulumi-python" host="$1/pulumi-language-python" official
  if official="$(official_plugin_script)"; then
    install_file "$official" "$plugin"
  elif ! grep -qs PULUMI_RUNTIME_VIRTUALENV "$plugin"; then
    # Missing, or the home-made two-liner of earlier versions of this script (it ignored the
    # project's virtualenv, which hid a layout bug): only the official script will do.
    log "cannot obtain the official pulumi-resource-pulumi-python: Go is not installed or cannot"
    log "download $SDK_MODULE. Install the Pulumi CLI (https://www.pulumi.com/docs/install/)."
    exit 1
  fi
  if [ ! -e "$host" ] || grep -qs "$TEST_HOST_MARKER" "$host"; then
    install_file "$TEST_HOST_LAUNCHER" "$host"
  fi
}

# 1. Cached from an earlier run.
if [ -x "$BIN_DIR/pulumi" ]; then
  install_companions "$BIN_DIR"
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
    if [ -x "$dir/pulumi-resource-pulumi-python" ] && [ -x "$dir/pulumi-language-python" ]; then
      log "using Pulumi CLI v$have from PATH ($dir)"
      echo "$dir"
      exit 0
    fi
    # Incomplete (no language host or plugin beside it): a copy in the cache gets them, leaving the
    # installation on PATH as it is. The CLI finds its companions beside its real path, so a copy,
    # not a symlink.
    log "copying Pulumi CLI v$have from PATH ($dir) into $BIN_DIR to install what it lacks beside it"
    mkdir -p "$BIN_DIR"
    install_file "$(command -v pulumi)" "$BIN_DIR/pulumi"
    install_companions "$BIN_DIR"
    echo "$BIN_DIR"
    exit 0
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
  install_companions "$BIN_DIR"
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
install_companions "$BIN_DIR"
log "built in $(( $(date +%s) - start )) s, $(du -m "$BIN_DIR/pulumi" | cut -f1) MiB, into $BIN_DIR"
echo "$BIN_DIR"
