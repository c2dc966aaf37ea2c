#!/usr/bin/env bash
# Build FreeSWITCH 1.10.12 (with spandsp 3 and sofia-sip 1.13.17 in a private prefix) from the vendor
# archives into $PBX_CACHE_DIR/freeswitch-KEY, or reuse it when already built. Prints the prefix last.
# See ../shared/vendor/freeswitch/README.md for why each flag is here.
source "$(dirname "$0")/lib.sh"

KEY="$(cache_key freeswitch "$0")"
PREFIX="$PBX_CACHE_DIR/freeswitch-$KEY"
# Modules: what the shipped dialplan, IVR, queue, survey and recording use (see telephony/freeswitch/conf).
MODULES=(
  applications/mod_commands applications/mod_dptools applications/mod_db applications/mod_hash
  applications/mod_expr applications/mod_callcenter
  dialplans/mod_dialplan_xml
  endpoints/mod_loopback endpoints/mod_sofia
  event_handlers/mod_event_socket
  formats/mod_native_file formats/mod_sndfile formats/mod_tone_stream formats/mod_local_stream
  loggers/mod_console loggers/mod_logfile
  say/mod_say_en say/mod_say_zh
  asr_tts/mod_tts_commandline
)

build() {
  if [ -f "$PREFIX/.complete" ]; then
    log "FreeSWITCH already built in $PREFIX"
    return
  fi
  verify_archives freeswitch
  rm -rf "$PREFIX"
  local work src
  work="$(mktemp -d "${TMPDIR:-/tmp}/fs-build.XXXXXX")"
  src="$work/src"
  mkdir -p "$src"
  local deps="$PREFIX/deps"
  log "building in $work, installing into $PREFIX"

  tar -C "$src" -xf "$PBX_VENDOR_DIR/freeswitch/spandsp-"*.tar.xz
  tar -C "$src" -xf "$PBX_VENDOR_DIR/freeswitch/sofia-sip-"*.tar.xz
  tar -C "$src" -xf "$PBX_VENDOR_DIR/freeswitch/freeswitch-"*.tar.xz

  log "spandsp"
  (cd "$src"/spandsp* && ./bootstrap.sh && ./configure --prefix="$deps" && make -j"$PBX_JOBS" && make install) >"$work/spandsp.log" 2>&1 ||
    { tail -50 "$work/spandsp.log"; exit 1; }
  log "sofia-sip"
  (cd "$src"/sofia-sip* && ./bootstrap.sh && ./configure --prefix="$deps" --disable-stun && make -j"$PBX_JOBS" && make install) >"$work/sofia.log" 2>&1 ||
    { tail -50 "$work/sofia.log"; exit 1; }

  log "freeswitch"
  local fs
  fs="$(ls -d "$src"/freeswitch*/ | head -1)"
  printf '%s\n' "${MODULES[@]}" >"$fs/modules.conf"
  (
    cd "$fs"
    ./bootstrap.sh -j
    PKG_CONFIG_PATH="$deps/lib/pkgconfig" LDFLAGS="-Wl,-rpath,$deps/lib" \
      ./configure --prefix="$PREFIX" --disable-libvpx --disable-libyuv --disable-debug
    make -j"$PBX_JOBS" CFLAGS="-g -O2 -Wno-error"
    make install
  ) >"$work/freeswitch.log" 2>&1 || { tail -80 "$work/freeswitch.log"; exit 1; }

  # The sample configuration and sounds are not ours; tests and deployments bring telephony/freeswitch/conf.
  rm -rf "$PREFIX/share/freeswitch/sounds" "$PREFIX/include"
  touch "$PREFIX/.complete"
  rm -rf "$work"
  log "FreeSWITCH built in $PREFIX"
}

with_lock "freeswitch-$KEY" build
# Stable name for tools and tests: current -> the build for this script and these archives.
ln -sfn "freeswitch-$KEY" "$PBX_CACHE_DIR/freeswitch"
echo "$PREFIX"
