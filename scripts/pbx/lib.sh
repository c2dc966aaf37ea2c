# Shared by build-freeswitch.sh and build-asterisk.sh (sourced, not run).
# Builds go into a cache folder outside the repository, one folder per key; the key hashes the vendor
# archives' checksums and the build script itself, so a changed module list or archive rebuilds and
# an unchanged one is reused as is (the lead's CI and every developer share it).
set -euo pipefail

PBX_REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The vendor archives live in the shared folder beside the repository (../shared/vendor from the main
# checkout, one level further up from a worktree).
if [ -z "${PBX_VENDOR_DIR:-}" ]; then
  for d in "$PBX_REPO_DIR/../shared/vendor" "$PBX_REPO_DIR/../../shared/vendor"; do
    [ -d "$d" ] && PBX_VENDOR_DIR="$(cd "$d" && pwd)" && break
  done
fi
PBX_VENDOR_DIR="${PBX_VENDOR_DIR:-$PBX_REPO_DIR/../shared/vendor}"
PBX_CACHE_DIR="${PBX_CACHE_DIR:-/var/cache/chengguan-pbx}"
PBX_JOBS="${PBX_JOBS:-2}"

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }

# cache_key VENDOR_SUBDIR SCRIPT -> short hash of SHA256SUMS + script + this file
cache_key() {
  local sums="$PBX_VENDOR_DIR/$1/SHA256SUMS"
  cat "$sums" "$2" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-16
}

# verify_archives VENDOR_SUBDIR: every archive listed in SHA256SUMS is present and intact
verify_archives() {
  (cd "$PBX_VENDOR_DIR/$1" && sha256sum --quiet -c SHA256SUMS) || {
    echo "vendor archives in $PBX_VENDOR_DIR/$1 do not match SHA256SUMS" >&2
    exit 1
  }
}

# with_lock NAME CMD...: one build per key at a time (CI and a developer may start one together)
with_lock() {
  local name="$1"
  shift
  mkdir -p "$PBX_CACHE_DIR"
  exec 9>"$PBX_CACHE_DIR/.$name.lock"
  flock 9
  "$@"
}
