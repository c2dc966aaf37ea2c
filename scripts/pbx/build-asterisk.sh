#!/usr/bin/env bash
# Build Asterisk 22.10.1 from the vendor archive into $PBX_CACHE_DIR/asterisk-KEY, or reuse it when
# already built. Prints the prefix last. See ../shared/vendor/asterisk/README.md for the flags.
source "$(dirname "$0")/lib.sh"

KEY="$(cache_key asterisk "$0")"
PREFIX="$PBX_CACHE_DIR/asterisk-$KEY"
# Modules: what the shipped dialplan (telephony/asterisk/conf), the IVR, queue, survey and recording use;
# Local channels and the manager are in the core. No pjproject: nothing may download.
MODULES=(
  app_dial app_dumpchan app_echo app_exec app_mixmonitor app_originate app_playback app_queue app_read
  app_senddtmf app_stack app_userevent app_verbose app_while
  bridge_builtin_features bridge_holding bridge_simple bridge_softmix
  cdr_csv codec_alaw codec_gsm codec_ulaw format_gsm format_pcm format_wav format_sln
  func_callerid func_cdr func_channel func_cut func_env func_global func_hangupcause func_logic
  func_math func_periodic_hook func_strings
  pbx_config res_agi res_clioriginate res_musiconhold res_speech res_timing_timerfd
)

build() {
  if [ -f "$PREFIX/.complete" ]; then
    log "Asterisk already built in $PREFIX"
    return
  fi
  verify_archives asterisk
  rm -rf "$PREFIX"
  local work src
  work="$(mktemp -d "${TMPDIR:-/tmp}/ast-build.XXXXXX")"
  src="$work/src"
  mkdir -p "$src"
  log "building in $work, installing into $PREFIX"
  tar -C "$src" -xf "$PBX_VENDOR_DIR/asterisk/asterisk-"*.tar.xz
  (
    cd "$src"/asterisk-*/
    ./configure --prefix="$PREFIX" --with-jansson-bundled=no --without-pjproject-bundled --without-pjproject \
      --without-libjwt-bundled --disable-xmldoc
    make menuselect.makeopts
    menuselect/menuselect --disable-all menuselect.makeopts
    for m in "${MODULES[@]}"; do menuselect/menuselect --enable "$m" menuselect.makeopts; done
    make -j"$PBX_JOBS"
    make install
  ) >"$work/asterisk.log" 2>&1 || { tail -80 "$work/asterisk.log"; exit 1; }
  # Check every module we asked for was built (menuselect drops one silently when a dependency is missing).
  local missing=()
  for m in "${MODULES[@]}"; do [ -f "$PREFIX/lib/asterisk/modules/$m.so" ] || missing+=("$m"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "modules not built: ${missing[*]}" >&2
    exit 1
  fi
  touch "$PREFIX/.complete"
  rm -rf "$work"
  log "Asterisk built in $PREFIX"
}

with_lock "asterisk-$KEY" build
ln -sfn "asterisk-$KEY" "$PBX_CACHE_DIR/asterisk"
echo "$PREFIX"
