# Start a private PostgreSQL server, sourced by .ci/run and bench/postgres.sh: initdb into a
# temporary directory as an unprivileged user, on a free port of the loopback with its own
# socket directory; stopped and removed when the sourcing shell exits. Sets PG_URL
# (postgres://tracker@127.0.0.1:PORT, no database), PG_SOCKET, PG_PORT and PG_BIN.
pg="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -n "$pg" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
pgdir="$(mktemp -d)"
run_pg() { "$@"; }
if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$pgdir"
    run_pg() { runuser -u postgres -- "$@"; }
fi
pgport=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop_pg() { run_pg "$pg/pg_ctl" -D "$pgdir/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$pgdir"; }
trap stop_pg EXIT
run_pg "$pg/initdb" -D "$pgdir/data" -A trust -U tracker >"$pgdir/initdb.log"
# TLS with a self-signed certificate; the role tls_only may connect only through TLS (the tests
# use it to tell an encrypted session from a plain one).
run_pg openssl req -new -x509 -days 2 -nodes -subj /CN=localhost \
    -keyout "$pgdir/data/server.key" -out "$pgdir/data/server.crt" 2>/dev/null
run_pg chmod 600 "$pgdir/data/server.key"
run_pg sh -c "{ printf 'hostnossl all tls_only 127.0.0.1/32 reject\nhostssl all tls_only 127.0.0.1/32 trust\n'; cat '$pgdir/data/pg_hba.conf'; } > '$pgdir/data/hba' && mv '$pgdir/data/hba' '$pgdir/data/pg_hba.conf'"
run_pg "$pg/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w \
    -o "-p $pgport -k $pgdir -c listen_addresses=127.0.0.1 -c ssl=on" start
PG_URL="postgres://tracker@127.0.0.1:$pgport"
PG_SOCKET="$pgdir"   # the socket directory: postgres://tracker@%2F…:PORT/DB
PG_PORT="$pgport"
PG_BIN="$pg"
