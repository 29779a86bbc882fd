# Shared helpers for lab job scripts. Sourced (never run) from bin/bbr/<script> and bin/ctl.
# Never print to stdout here: the metadata script's stdout must be pure YAML.
set -euo pipefail

LAB_SCRIPT_NAME="$(basename "$0")"
if [ "$(basename "$(dirname "$0")")" = bbr ]; then
  LAB_JOB_DIR="$(cd "$(dirname "$0")/../.." && pwd)"
else
  LAB_JOB_DIR="$(cd "$(dirname "$0")/.." && pwd)"
fi
# instance identity + job parameters written by the lab; runtime overrides (tests) win
set -a
. "$LAB_JOB_DIR/config/params.env"
if [ -f "/var/vcap/store/lab-params/$LAB_JOB.env" ]; then . "/var/vcap/store/lab-params/$LAB_JOB.env"; fi
set +a

mkdir -p /var/vcap/sys/log/lab "/var/vcap/sys/log/$LAB_JOB"

# Every script run is recorded so tests can check what bbr ran, where, in which order, with which env.
echo "$(date +%s%N) $LAB_INSTANCE $LAB_JOB $LAB_SCRIPT_NAME user=$(id -un)" \
  "BBR_ARTIFACT_DIRECTORY=${BBR_ARTIFACT_DIRECTORY:-} ARTIFACT_DIRECTORY=${ARTIFACT_DIRECTORY:-}" \
  "BBR_AFTER_BACKUP_SCRIPTS_SUCCESSFUL=${BBR_AFTER_BACKUP_SCRIPTS_SUCCESSFUL:-} BBR_VERSION=${BBR_VERSION:-}" \
  >> /var/vcap/sys/log/lab/calls.log

lab_fail() {
  echo "$*" >&2
  exit 1
}

# Any job fails a script on demand when /var/vcap/store/lab-fail/<job>/<script> exists
# (its content, if any, is the error message).
lab_fail_if_requested() {
  local f="/var/vcap/store/lab-fail/$LAB_JOB/$LAB_SCRIPT_NAME"
  if [ -f "$f" ]; then
    local msg; msg="$(cat "$f")"
    lab_fail "${msg:-lab fault: $LAB_JOB $LAB_SCRIPT_NAME failed on $LAB_INSTANCE}"
  fi
}

# "<epoch-ns> <instance> <job> <lock|unlock>" - lock ordering is asserted from this file
lab_record_lock() {
  mkdir -p /var/vcap/sys/log/lock-recorder
  echo "$(date +%s%N) $LAB_INSTANCE $LAB_JOB $1" >> /var/vcap/sys/log/lock-recorder/locks.log
}

# bbr passes the artifact dir with a trailing slash; scripts must work with and without one
lab_artifact_dir() {
  local d="${BBR_ARTIFACT_DIRECTORY:-${ARTIFACT_DIRECTORY:-}}"
  [ -n "$d" ] || lab_fail "$LAB_JOB $LAB_SCRIPT_NAME: BBR_ARTIFACT_DIRECTORY is not set"
  [ -d "$d" ] || lab_fail "$LAB_JOB $LAB_SCRIPT_NAME: artifact directory $d does not exist"
  echo "${d%/}"
}

# Any job's script sleeps first on demand when /var/vcap/store/lab-sleep/<job>/<script> exists (its content
# is the number of seconds): tests use it to catch bbr in a given phase (signals, kill -9).
lab_sleep_if_requested() {
  local f="/var/vcap/store/lab-sleep/$LAB_JOB/$LAB_SCRIPT_NAME"
  if [ -f "$f" ]; then
    sleep "$(cat "$f")"
  fi
}

lab_fail_if_requested
lab_sleep_if_requested
