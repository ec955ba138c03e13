#!/usr/bin/env bash
# A PostgreSQL database for the tests that need one (the reference HQ's PostgreSQL store).
#
# Installs Debian's `postgresql` when missing, starts the default cluster listening on
# 127.0.0.1, creates a role and a database, and makes CHECKPOINT_TEST_POSTGRES_URL available:
#   source .ci/postgres.sh          exports it into the calling shell
#   eval "$(bash .ci/postgres.sh)"  the same, from a child process (the URL line is on stdout)
# Everything else it says goes to stderr. Needs root (as CI is); idempotent.

_checkpoint_postgres() {
  set -euo pipefail
  local role=checkpoint password=checkpoint database=checkpoint_test port=5432
  say() { printf 'postgres.sh: %s\n' "$*" >&2; }

  if ! command -v pg_lsclusters >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ]; then
      say "postgresql is not installed and this is not root: install it first"
      return 1
    fi
    say "installing postgresql"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  fi

  local version cluster
  read -r version cluster < <(pg_lsclusters --no-header | awk 'NR==1 {print $1, $2}')
  if [ -z "${version:-}" ]; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -n1)
    cluster=main
    say "creating cluster $version/$cluster"
    pg_createcluster "$version" "$cluster" >&2
  fi
  port=$(pg_lsclusters --no-header | awk -v v="$version" -v c="$cluster" '$1==v && $2==c {print $3}')

  if ! pg_lsclusters --no-header | awk -v v="$version" -v c="$cluster" '$1==v && $2==c {print $4}' \
      | grep -q online; then
    say "starting cluster $version/$cluster on 127.0.0.1:$port"
    pg_ctlcluster "$version" "$cluster" start -- -o "-c listen_addresses=127.0.0.1" >&2
  fi

  local psql=(runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -qtA)
  for _ in $(seq 1 30); do
    "${psql[@]}" -c 'SELECT 1' >/dev/null 2>&1 && break
    sleep 1
  done
  if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" != 1 ]; then
    "${psql[@]}" -c "CREATE ROLE $role LOGIN PASSWORD '$password'" >&2
  fi
  if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$database'")" != 1 ]; then
    "${psql[@]}" -c "CREATE DATABASE $database OWNER $role" >&2
  fi

  CHECKPOINT_TEST_POSTGRES_URL="postgresql://$role:$password@127.0.0.1:$port/$database"
  export CHECKPOINT_TEST_POSTGRES_URL
  say "ready: $CHECKPOINT_TEST_POSTGRES_URL"
  printf 'export CHECKPOINT_TEST_POSTGRES_URL=%s\n' "$CHECKPOINT_TEST_POSTGRES_URL"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  _checkpoint_postgres
else
  # Sourced: run in a subshell so `set -e` and friends do not leak into the caller's shell.
  _checkpoint_postgres_line=$( (_checkpoint_postgres) ) || return 1
  eval "$_checkpoint_postgres_line"
  unset _checkpoint_postgres_line
fi
