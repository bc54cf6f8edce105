#!/bin/sh
# Cronbeat's runner for hosts without Node: what `cronbeat run` does, in POSIX
# sh with curl or wget. A Cronbeat server hands it out at /client/cronbeat.sh
# with its own address filled in as the default, so
#
#   curl -fsS https://cronbeat.example.com/client/cronbeat.sh | sh -s -- run <ping-url> -- <command> [args…]
#
# runs the command, sends a start ping with a run id, passes the command's
# output through while keeping its tail, and ends with a ping carrying the exit
# status and that tail. Cronbeat being slow, down or misconfigured is a warning
# on stderr: the command always runs, and the runner exits with its status.
#
#   cronbeat.sh run [options] <ping-url | ping-code | ping-key/slug | slug> [--] <command> [args…]
#   cronbeat.sh ping [options] <ping-url | ping-code | ping-key/slug | slug> [success|start|fail|log|0-255]
#
# Options: --url <base URL> (else CRONBEAT_URL, else the server it came from),
# --ping-key <key> (else CRONBEAT_PING_KEY, for a bare slug), --rid auto|off|<uuid>
# (default auto), --timeout <seconds, or 10s, 2m> Cronbeat may add after the command ends,
# retries included (default 10), --create (create an unknown slug).
# CRONBEAT_TAIL_BYTES: how much of the output's end the last ping carries (default 10240).

# Filled in by the Cronbeat server that serves this file (its BASE_URL); empty in the repository.
cronbeat_default_url=''

cronbeat_version='0.1.0'
cronbeat_opt_url=''
cronbeat_opt_ping_key=''
cronbeat_opt_rid=''
cronbeat_opt_create=0
cronbeat_timeout=10
cronbeat_ref=''
cronbeat_rid=''
cronbeat_work=''
cronbeat_worker=''
cronbeat_watchdog=''
cronbeat_start_pinger=''

cronbeat_warn() {
  printf 'cronbeat: %s\n' "$*" >&2
}

cronbeat_usage() {
  cat <<'USAGE'
usage: cronbeat.sh run [--url URL] [--ping-key KEY] [--rid auto|off|UUID] [--timeout SECONDS] [--create] <ping-url | ping-code | ping-key/slug | slug> [--] <command> [args...]
       cronbeat.sh ping [--url URL] [--ping-key KEY] [--rid UUID] [--timeout SECONDS] [--create] <ping-url | ping-code | ping-key/slug | slug> [success|start|fail|log|0-255]
USAGE
}

cronbeat_is_uuid() {
  printf '%s\n' "$1" | grep -Eq '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
}

# A random (version 4) UUID: the kernel's where Linux offers one, else 16 bytes of /dev/urandom.
cronbeat_new_uuid() {
  if [ -r /proc/sys/kernel/random/uuid ]; then
    cat /proc/sys/kernel/random/uuid
    return
  fi
  cronbeat_hex=$(od -An -N16 -tx1 /dev/urandom 2>/dev/null | tr -d ' \n')
  [ "${#cronbeat_hex}" -eq 32 ] || return 1
  cronbeat_part() { printf '%s' "$cronbeat_hex" | cut -c "$1"; }
  case $(cronbeat_part 17) in
  [0-3]) cronbeat_variant=8 ;;
  [4-7]) cronbeat_variant=9 ;;
  [89ab]) cronbeat_variant=a ;;
  *) cronbeat_variant=b ;;
  esac
  printf '%s-%s-4%s-%s%s-%s\n' "$(cronbeat_part 1-8)" "$(cronbeat_part 9-12)" "$(cronbeat_part 14-16)" \
    "$cronbeat_variant" "$(cronbeat_part 18-20)" "$(cronbeat_part 21-32)"
}

# Sets cronbeat_ping_base (the check's ping URL without a kind) and cronbeat_query from the reference,
# or sets cronbeat_problem and fails when it cannot become a URL.
cronbeat_resolve() {
  cronbeat_query=''
  case $1 in
  http://* | https://*)
    cronbeat_ping_base=${1%%\?*}
    case $1 in *\?*) cronbeat_query=${1#*\?} ;; esac
    cronbeat_ping_base=${cronbeat_ping_base%/}
    return 0
    ;;
  esac
  cronbeat_base=${cronbeat_opt_url:-${CRONBEAT_URL:-$cronbeat_default_url}}
  while [ "${cronbeat_base%/}" != "$cronbeat_base" ]; do cronbeat_base=${cronbeat_base%/}; done
  if [ -z "$cronbeat_base" ]; then
    cronbeat_problem='CRONBEAT_URL is not set'
    return 1
  fi
  cronbeat_key=${cronbeat_opt_ping_key:-${CRONBEAT_PING_KEY:-}}
  case $1 in
  */*) cronbeat_path=$1 ;;
  *)
    if cronbeat_is_uuid "$1"; then
      cronbeat_path=$1
    elif [ -n "$cronbeat_key" ]; then
      cronbeat_path="$cronbeat_key/$1"
    else
      cronbeat_problem="\"$1\" is neither a ping code (a UUID) nor <ping-key>/<slug>, and CRONBEAT_PING_KEY is not set"
      return 1
    fi
    ;;
  esac
  # Ping codes, keys and slugs need no escaping; anything else would need URL encoding we cannot do portably.
  case $cronbeat_path in
  '' | *[!A-Za-z0-9._~/-]*)
    cronbeat_problem="\"$cronbeat_path\" is not a ping code, ping key or slug"
    return 1
    ;;
  esac
  cronbeat_ping_base="$cronbeat_base/ping/$cronbeat_path"
}

# The URL of one kind of ping: success (no suffix), start, fail, log or an exit status.
cronbeat_url_for() {
  cronbeat_url=$cronbeat_ping_base
  [ "$1" = success ] || cronbeat_url="$cronbeat_url/$1"
  cronbeat_q=$cronbeat_query
  [ "$cronbeat_opt_create" = 1 ] && cronbeat_q="${cronbeat_q:+$cronbeat_q&}create=1"
  [ -n "$cronbeat_rid" ] && cronbeat_q="${cronbeat_q:+$cronbeat_q&}rid=$cronbeat_rid"
  [ -n "$cronbeat_q" ] && cronbeat_url="$cronbeat_url?$cronbeat_q"
  printf '%s' "$cronbeat_url"
}

# Kills the processes named after $1 seconds, unless cronbeat_watchdog_stop comes first.
cronbeat_watchdog_start() {
  cronbeat_after=$1
  shift
  # The trap is set before the sleep starts: a stop between the two left the sleep running. A stop before the
  # sleep's pid is known is remembered. The sleep gets KILL: a TERM sent just after the fork, before the child
  # has dropped the trap it inherits, is caught by that trap and lost when the child becomes sleep.
  (
    cronbeat_sleeper=''
    cronbeat_stopped=0
    trap 'cronbeat_stopped=1; [ -z "$cronbeat_sleeper" ] || kill -s KILL "$cronbeat_sleeper" 2>/dev/null' TERM
    sleep "$cronbeat_after" </dev/null >/dev/null 2>&1 &
    cronbeat_sleeper=$!
    [ "$cronbeat_stopped" = 0 ] || kill -s KILL "$cronbeat_sleeper" 2>/dev/null
    wait "$cronbeat_sleeper" && [ "$cronbeat_stopped" = 0 ] && kill "$@" 2>/dev/null
    exit 0
  ) </dev/null >/dev/null 2>&1 &
  cronbeat_watchdog=$!
}

cronbeat_watchdog_stop() {
  kill "$cronbeat_watchdog" 2>/dev/null
  wait "$cronbeat_watchdog" 2>/dev/null
  cronbeat_watchdog=''
}

# Runs "$@" for at most $cronbeat_limit seconds (BusyBox wget has no reliable timeout of its own).
cronbeat_with_deadline() {
  "$@" &
  cronbeat_worker=$!
  cronbeat_watchdog_start "$cronbeat_limit" "$cronbeat_worker"
  wait "$cronbeat_worker"
  cronbeat_rc=$?
  cronbeat_worker=''
  cronbeat_watchdog_stop
  return "$cronbeat_rc"
}

# One attempt: URL, body file or empty, seconds. Sets cronbeat_status (000 when Cronbeat was not reached) and cronbeat_answer.
cronbeat_attempt() {
  cronbeat_limit=$3
  : >"$cronbeat_work/answer"
  if [ "$cronbeat_http" = curl ]; then
    if [ -n "$2" ]; then
      cronbeat_status=$(curl -sS -m "$3" -A "cronbeat-sh/$cronbeat_version" -o "$cronbeat_work/answer" -w '%{http_code}' \
        -H 'Content-Type: text/plain; charset=utf-8' --data-binary "@$2" "$1" 2>"$cronbeat_work/error")
    else
      cronbeat_status=$(curl -sS -m "$3" -A "cronbeat-sh/$cronbeat_version" -o "$cronbeat_work/answer" -w '%{http_code}' \
        "$1" 2>"$cronbeat_work/error")
    fi
    [ -n "$cronbeat_status" ] || cronbeat_status=000
  else
    # -S prints the answer's status line in every wget (GNU and BusyBox), also for an error status.
    if [ -n "$2" ]; then
      cronbeat_with_deadline wget -S -O "$cronbeat_work/answer" -U "cronbeat-sh/$cronbeat_version" \
        --header 'Content-Type: text/plain; charset=utf-8' --post-file "$2" "$1" 2>"$cronbeat_work/error"
    else
      cronbeat_with_deadline wget -S -O "$cronbeat_work/answer" -U "cronbeat-sh/$cronbeat_version" "$1" 2>"$cronbeat_work/error"
    fi
    cronbeat_status=$(sed -n 's/^ *HTTP\/[0-9.]* \([0-9][0-9][0-9]\).*/\1/p' "$cronbeat_work/error" | tail -n 1)
    [ -n "$cronbeat_status" ] || cronbeat_status=000
  fi
  if [ "$cronbeat_status" = 000 ]; then
    cronbeat_answer=$(grep -v '^ *HTTP/' "$cronbeat_work/error" | tail -n 1)
    [ -n "$cronbeat_answer" ] || cronbeat_answer='timed out'
  else
    cronbeat_answer=$(head -c 200 "$cronbeat_work/answer" | tr -d '\r' | head -n 1)
    # wget keeps no body of an error answer: its status line's words stand in.
    [ -n "$cronbeat_answer" ] || cronbeat_answer=$(sed -n 's/^ *HTTP\/[0-9.]* [0-9][0-9][0-9] *//p' "$cronbeat_work/error" | tail -n 1 | tr -d '\r')
  fi
}

# Sends a ping (kind, body file or empty) until it is answered or the deadline (seconds since the epoch) passes.
# 5xx, 429 and network errors are retried with a growing pause; other answers are final. Never fails the job.
cronbeat_send() {
  cronbeat_target=$(cronbeat_url_for "$1")
  case $1 in [0-9]*) cronbeat_what="exit status $1" ;; *) cronbeat_what=$1 ;; esac
  cronbeat_pause=1
  cronbeat_tries=0
  while :; do
    cronbeat_tries=$((cronbeat_tries + 1))
    cronbeat_left=$(($3 - $(date +%s)))
    # The first attempt always gets a moment, so an end ping after a slow start ping is still tried once.
    [ "$cronbeat_left" -ge 2 ] || cronbeat_left=2
    cronbeat_attempt "$cronbeat_target" "$2" "$cronbeat_left"
    case $cronbeat_status in
    2??) return 0 ;;
    429 | 5?? | 000) ;;
    *)
      cronbeat_warn "$cronbeat_what ping not recorded: $cronbeat_status $cronbeat_answer"
      return 1
      ;;
    esac
    if [ $(($(date +%s) + cronbeat_pause)) -ge "$3" ]; then
      [ "$cronbeat_status" = 000 ] || cronbeat_answer="$cronbeat_status $cronbeat_answer"
      cronbeat_warn "$cronbeat_what ping not recorded after $cronbeat_tries attempts: $cronbeat_answer"
      return 1
    fi
    sleep "$cronbeat_pause"
    cronbeat_pause=$((cronbeat_pause * 2))
    [ "$cronbeat_pause" -le 5 ] || cronbeat_pause=5
  done
}

# Options shared by run and ping; sets cronbeat_shift to how many arguments were used.
cronbeat_option() {
  cronbeat_shift=1
  case $1 in
  --url | --ping-key | --rid | --timeout)
    [ "$#" -ge 2 ] || {
      cronbeat_warn "$1 needs a value"
      exit 2
    }
    cronbeat_set_option "$1" "$2"
    cronbeat_shift=2
    ;;
  --url=* | --ping-key=* | --rid=* | --timeout=*) cronbeat_set_option "${1%%=*}" "${1#*=}" ;;
  --create) cronbeat_opt_create=1 ;;
  *)
    cronbeat_warn "unknown option $1"
    cronbeat_usage >&2
    exit 2
    ;;
  esac
}

cronbeat_set_option() {
  case $1 in
  --url) cronbeat_opt_url=$2 ;;
  --ping-key) cronbeat_opt_ping_key=$2 ;;
  --rid) cronbeat_opt_rid=$2 ;;
  --timeout)
    # Seconds, as `cronbeat run` writes them too: 10, 10s or 2m.
    cronbeat_number=${2%[sm]}
    case $cronbeat_number in
    '' | *[!0-9]*)
      cronbeat_warn "--timeout takes seconds (10, 10s or 2m), not \"$2\""
      exit 2
      ;;
    esac
    case $2 in
    *m) cronbeat_timeout=$((cronbeat_number * 60)) ;;
    *) cronbeat_timeout=$cronbeat_number ;;
    esac
    ;;
  esac
}

cronbeat_make_work_dir() {
  cronbeat_work=$(mktemp -d "${TMPDIR:-/tmp}/cronbeat.XXXXXX" 2>/dev/null) && return 0
  cronbeat_work="${TMPDIR:-/tmp}/cronbeat.$$.$(date +%s)"
  (umask 077 && mkdir "$cronbeat_work") 2>/dev/null
}

# Which HTTP client to use: curl, else wget; empty when there is neither.
cronbeat_pick_http() {
  if command -v curl >/dev/null 2>&1; then
    cronbeat_http=curl
  elif command -v wget >/dev/null 2>&1; then
    cronbeat_http=wget
  else
    cronbeat_http=''
  fi
}


# Cuts the log to its last CRONBEAT_TAIL_BYTES bytes, never starting inside a UTF-8 character, then adds the trailer.
cronbeat_write_body() {
  cronbeat_limit_bytes=${CRONBEAT_TAIL_BYTES:-10240}
  case $cronbeat_limit_bytes in '' | *[!0-9]*) cronbeat_limit_bytes=10240 ;; esac
  if [ "$(wc -c <"$cronbeat_work/log")" -gt "$cronbeat_limit_bytes" ]; then
    # UTF-8 continuation bytes are 0x80-0xBF; a cut tail that starts with them would not decode.
    tail -c "$cronbeat_limit_bytes" "$cronbeat_work/log" |
      LC_ALL=C sed "1s/^[$(printf '\200')-$(printf '\277')]*//" >"$cronbeat_work/body"
  else
    cat "$cronbeat_work/log" >"$cronbeat_work/body"
  fi
  [ -z "$1" ] || printf '%s\n' "$1" >>"$cronbeat_work/body"
}

# A signal ends the runner as it would without a trap (128 + its number), but through the EXIT trap, so the
# work directory with the job's output does not stay behind.
cronbeat_exit_on_signals() {
  trap 'exit 129' HUP
  trap 'exit 130' INT
  trap 'exit 131' QUIT
  trap 'exit 143' TERM
}

# The EXIT trap: a ping cut short by a signal leaves its wget and watchdog (or the start ping's sender), which go too.
cronbeat_clean_up() {
  [ -z "$cronbeat_start_pinger" ] || kill "$cronbeat_start_pinger" 2>/dev/null
  [ -z "$cronbeat_worker" ] || kill "$cronbeat_worker" 2>/dev/null
  [ -z "$cronbeat_watchdog" ] || cronbeat_watchdog_stop
  rm -rf "$cronbeat_work"
}

# Passes a signal (name, exit status it means) on to the job. It is written down first: before the job is
# launched its pid is not known, and just after, the job is a copy of this shell whose copy of the trap would
# catch the signal and lose it when the command is exec'd; the job reads the note once that trap is gone.
cronbeat_stop() {
  printf '%s %s\n' "$1" "$2" >"$cronbeat_work/stop"
  [ -z "$cronbeat_job" ] || kill -s "$1" "$cronbeat_job" 2>/dev/null
}

# Whether cronbeat_stop noted a signal; if so, reads it into cronbeat_signal and the status it means into cronbeat_exit.
cronbeat_noted_stop() {
  [ -e "$cronbeat_work/stop" ] || return 1
  read -r cronbeat_signal cronbeat_exit <"$cronbeat_work/stop" || :
}

# Runs the command with its output passed through and copied to the log, and sets cronbeat_exit to its status.
cronbeat_run_command() {
  cronbeat_job=''
  # From here a signal is the job's: remembered until it is launched, then passed on. In a non-interactive
  # shell a background job ignores SIGINT and SIGQUIT (POSIX), so those reach it as SIGTERM.
  trap 'cronbeat_stop TERM 143' TERM INT QUIT
  trap 'cronbeat_stop HUP 129' HUP
  if ! mkfifo "$cronbeat_work/out" "$cronbeat_work/err"; then
    cronbeat_exit_on_signals
    if cronbeat_noted_stop; then
      exit "$cronbeat_exit"
    fi
    return 1
  fi
  : >"$cronbeat_work/log"
  # tee keeps copying to the log if the runner's own reader goes away (`… | head`), so the job is not killed by SIGPIPE.
  (
    trap '' PIPE
    exec tee -a "$cronbeat_work/log"
  ) <"$cronbeat_work/out" &
  cronbeat_tee_out=$!
  (
    trap '' PIPE
    exec tee -a "$cronbeat_work/log" >&2
  ) <"$cronbeat_work/err" &
  cronbeat_tee_err=$!
  # A command started in the background reads /dev/null unless told otherwise: give it the runner's stdin.
  (
    if cronbeat_noted_stop; then
      exit "${cronbeat_exit:-143}"
    fi
    exec "$@"
  ) 0<&3 3<&- >"$cronbeat_work/out" 2>"$cronbeat_work/err" &
  cronbeat_job=$!
  if cronbeat_noted_stop; then
    kill -s "$cronbeat_signal" "$cronbeat_job" 2>/dev/null
  fi
  # wait returns early when a trapped signal arrives; the job is still there then (if only as a zombie).
  while :; do
    wait "$cronbeat_job"
    cronbeat_exit=$?
    kill -0 "$cronbeat_job" 2>/dev/null || break
  done
  trap - TERM INT QUIT HUP
  # What the command left running may hold its output open for ever: its copies get 2 s more, then the tail is taken.
  cronbeat_watchdog_start 2 "$cronbeat_tee_out" "$cronbeat_tee_err"
  wait "$cronbeat_tee_out"
  wait "$cronbeat_tee_err"
  cronbeat_watchdog_stop
  # Only now: a watchdog started while this shell traps TERM could miss the stop, which its copy of the trap catches.
  cronbeat_exit_on_signals
  return 0
}

cronbeat_choose_rid() {
  case ${cronbeat_opt_rid:-auto} in
  auto) cronbeat_rid=$(cronbeat_new_uuid) || cronbeat_rid='' ;;
  off | none) cronbeat_rid='' ;;
  *)
    if ! cronbeat_is_uuid "$cronbeat_opt_rid"; then
      cronbeat_warn '--rid must be auto, off or a UUID'
      exit 2
    fi
    cronbeat_rid=$cronbeat_opt_rid
    ;;
  esac
}

cronbeat_run() {
  while [ "$#" -gt 0 ]; do
    case $1 in
    --)
      [ -n "$cronbeat_ref" ] || break
      shift
      break
      ;;
    -*)
      cronbeat_option "$@"
      shift "$cronbeat_shift"
      ;;
    *)
      [ -z "$cronbeat_ref" ] || break
      cronbeat_ref=$1
      shift
      ;;
    esac
  done
  if [ -z "$cronbeat_ref" ] || [ "$#" -eq 0 ]; then
    cronbeat_usage >&2
    exit 2
  fi
  cronbeat_choose_rid
  cronbeat_pick_http
  # Monitoring that cannot work is reported once, and the command runs as if the runner were not there.
  if [ -z "$cronbeat_http" ]; then
    cronbeat_warn 'neither curl nor wget is installed; running the command unmonitored'
    exec "$@"
  fi
  if ! cronbeat_resolve "$cronbeat_ref"; then
    cronbeat_warn "$cronbeat_problem; running the command unmonitored"
    exec "$@"
  fi
  if ! cronbeat_make_work_dir; then
    cronbeat_warn "cannot create a temporary folder in ${TMPDIR:-/tmp}; running the command unmonitored"
    exec "$@"
  fi
  trap cronbeat_clean_up EXIT
  cronbeat_exit_on_signals
  # The runner's stdin, kept on fd 3 for the command (a closed stdin becomes /dev/null).
  if { true <&0; } 2>/dev/null; then exec 3<&0; else exec 3</dev/null; fi

  # The start ping goes alongside the launch, never before it, so Cronbeat being slow cannot delay the job.
  cronbeat_started=$(date +%s)
  cronbeat_send start '' $((cronbeat_started + cronbeat_timeout)) &
  cronbeat_start_pinger=$!
  if ! cronbeat_run_command "$@"; then
    cronbeat_warn 'cannot capture the output; running the command without it'
    "$@" 0<&3 3<&-
    cronbeat_exit=$?
    : >"$cronbeat_work/log"
  fi
  # One deadline from the command's end, whatever the start ping still takes: --timeout is all Cronbeat may add.
  cronbeat_end_deadline=$(($(date +%s) + cronbeat_timeout))

  cronbeat_trailer=''
  if [ "$cronbeat_exit" -gt 128 ] && cronbeat_signal=$(kill -l $((cronbeat_exit - 128)) 2>/dev/null); then
    cronbeat_trailer="[cronbeat] exit status $cronbeat_exit: 128 + SIG${cronbeat_signal#SIG}"
  fi
  cronbeat_write_body "$cronbeat_trailer"
  # The end ping waits for the start ping, so Cronbeat never sees a run end before it began.
  wait "$cronbeat_start_pinger"
  cronbeat_start_pinger=''
  cronbeat_send "$cronbeat_exit" "$cronbeat_work/body" "$cronbeat_end_deadline"
  exit "$cronbeat_exit"
}

cronbeat_ping() {
  cronbeat_kind=''
  while [ "$#" -gt 0 ]; do
    case $1 in
    -*)
      cronbeat_option "$@"
      shift "$cronbeat_shift"
      ;;
    *)
      if [ -z "$cronbeat_ref" ]; then
        cronbeat_ref=$1
      elif [ -z "$cronbeat_kind" ]; then
        cronbeat_kind=$1
      else
        cronbeat_usage >&2
        exit 2
      fi
      shift
      ;;
    esac
  done
  cronbeat_kind=${cronbeat_kind:-success}
  case $cronbeat_kind in
  success | start | fail | log) ;;
  '' | *[!0-9]* | ????*)
    cronbeat_usage >&2
    exit 2
    ;;
  *)
    if [ "$cronbeat_kind" -gt 255 ]; then
      cronbeat_warn "exit status $cronbeat_kind is not an integer from 0 to 255"
      exit 2
    fi
    ;;
  esac
  if [ -z "$cronbeat_ref" ]; then
    cronbeat_usage >&2
    exit 2
  fi
  [ -z "$cronbeat_opt_rid" ] || cronbeat_choose_rid
  cronbeat_pick_http
  if [ -z "$cronbeat_http" ]; then
    cronbeat_warn 'neither curl nor wget is installed'
    exit 1
  fi
  if ! cronbeat_resolve "$cronbeat_ref"; then
    cronbeat_warn "$cronbeat_problem"
    exit 1
  fi
  cronbeat_make_work_dir || exit 1
  trap cronbeat_clean_up EXIT
  cronbeat_exit_on_signals
  cronbeat_send "$cronbeat_kind" '' $(($(date +%s) + cronbeat_timeout)) || exit 1
  exit 0
}

case ${1:-} in
run)
  shift
  cronbeat_run "$@"
  ;;
ping)
  shift
  cronbeat_ping "$@"
  ;;
-h | --help | help) cronbeat_usage ;;
*)
  cronbeat_usage >&2
  exit 2
  ;;
esac
