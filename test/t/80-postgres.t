#!/bin/sh
# samples/pg_login.c against a real PostgreSQL 15: a private cluster in build/, started
# for this test as an unprivileged user on a free port, with scram-sha-256
# authentication and TLS (a self-signed certificate made here), stopped at the end.
# The sample's SCRAM package is sspkg, through sspkg_client.dll and lsahost serve.
. "$(dirname "$0")/tap.sh"
PGBIN=/usr/lib/postgresql/15/bin
pg="$B/test/pg"
log="$B/test/pg.log"
SSPKG_LSAHOST_IMAGE=$(winpath "$B/lsahost.exe")
export SSPKG_LSAHOST_IMAGE
export SSPKG_PIPE='\\.\pipe\sspkg-pg-'$$

# PostgreSQL refuses to run as root: as root, run it as a system user of its own.
if [ "$(id -u)" -eq 0 ]; then
    id sspkg-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin sspkg-pg
    as_pg() { runuser -u sspkg-pg -- "$@"; }
else
    as_pg() { "$@"; }
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

rm -rf "$pg"
mkdir -p "$pg"
[ "$(id -u)" -eq 0 ] && chown sspkg-pg "$pg"
printf 'postgres-pw\n' >"$B/test/pg-pw"
chmod 644 "$B/test/pg-pw"
as_pg "$PGBIN/initdb" -D "$pg/data" -U postgres --auth=scram-sha-256 "--pwfile=$B/test/pg-pw" >"$log" 2>&1
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 2 -subj /CN=localhost \
    -keyout "$pg/server.key" -out "$pg/server.crt" >>"$log" 2>&1
chmod 600 "$pg/server.key"
[ "$(id -u)" -eq 0 ] && chown sspkg-pg "$pg/server.key" "$pg/server.crt"
cat >>"$pg/data/postgresql.conf" <<EOC
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$pg'
ssl = on
ssl_cert_file = '$pg/server.crt'
ssl_key_file = '$pg/server.key'
log_connections = on
EOC
cat >"$pg/data/pg_hba.conf" <<EOC
local all postgres scram-sha-256
host all carol 127.0.0.1/32 password
hostssl all all 127.0.0.1/32 scram-sha-256
hostnossl all all 127.0.0.1/32 scram-sha-256
EOC
as_pg "$PGBIN/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w start >>"$log" 2>&1
trap 'as_pg "$PGBIN/pg_ctl" -D "$pg/data" -m immediate stop >/dev/null 2>&1; rm -f "$out" "$out.raw"' EXIT
check "a private PostgreSQL 15 cluster is running on port $port" \
    grep -q "server started" "$log"

sql() { PGPASSWORD=postgres-pw "$PGBIN/psql" -X -q -At -h "$pg" -p "$port" -U postgres -d postgres -c "$1"; }
sql "CREATE ROLE alice LOGIN PASSWORD 'pencil'"
# U+2168 ROMAN NUMERAL NINE: SASLprep (NFKC) makes it "IX", and PostgreSQL stores the
# verifier of the prepared password.
sql "CREATE ROLE bob LOGIN PASSWORD U&'\\2168'"
sql "SET password_encryption = 'scram-sha-256'; CREATE ROLE carol LOGIN PASSWORD 'secret'"
check "roles alice, bob and carol made" [ "$(sql "SELECT count(*) FROM pg_roles WHERE rolname IN ('alice','bob','carol')")" = 3 ]

cd "$B"
"$top/scripts/wine.sh" ./lsahost.exe serve "--pipe=$SSPKG_PIPE" >"$B/test/pg-lsahost.log" 2>&1 &
lsahost_pid=$!

# pg_login ARGS...: the sample, output in $out, status in $rc.
pg_login() {
    rc=0
    LC_ALL=C.UTF-8 "$top/scripts/wine.sh" ./pg_login.exe "$@" >"$out.raw" 2>&1 || rc=$?
    tr -d '\r' <"$out.raw" >"$out"
}

pg_login 127.0.0.1 "$port" alice pencil
check "pg_login alice/pencil over TCP: logged in and queried, exit 0" status_is 0
check "... PostgreSQL offered SCRAM-SHA-256 (without TLS, not -PLUS)" has "server offers: SCRAM-SHA-256\$"
check "... the package verified the server's signature" has "authenticated with SCRAM-SHA-256; the package verified"
check "... the server's parameters printed" has "server parameter server_version = 15"
check "... SELECT current_user answered alice" has "row: alice"

pg_login 127.0.0.1 "$port" alice wrong
check "a wrong password: login refused, exit 3" status_is 3
check "... with PostgreSQL's own message (28P01)" has "server error: FATAL 28P01: password authentication failed for user \"alice\""

pg_login --tls 127.0.0.1 "$port" alice pencil
check "pg_login --tls: TLS through Schannel, then the login, exit 0" status_is 0
check "... the server's certificate shown (and said not to be validated)" has "tls: server certificate CN=localhost (not validated"
check "... over TLS PostgreSQL also offers SCRAM-SHA-256-PLUS" has "server offers: .*SCRAM-SHA-256-PLUS"
check "... SELECT current_user answered alice, through EncryptMessage/DecryptMessage" has "row: alice"
check "... PostgreSQL's log says the connection used TLS" \
    grep -q "connection authorized: user=alice database=postgres.*SSL enabled" "$pg/server.log"
check "... the channel binding taken from Schannel (SECPKG_ATTR_ENDPOINT_BINDINGS)" \
    has "tls: channel binding from SECPKG_ATTR_ENDPOINT_BINDINGS, .* (tls-server-end-point:...)"
check "... and the login bound to it: SCRAM-SHA-256-PLUS, which PostgreSQL checked" \
    has "authenticated with SCRAM-SHA-256-PLUS; the package verified"

pg_login --tls --corrupt-binding 127.0.0.1 "$port" alice pencil
check "--corrupt-binding (another channel's hash, as through a relay): refused, exit 3" status_is 3
check "... by PostgreSQL, which checks the binding" has "server error: FATAL .*channel binding"

pg_login --tls --no-channel-binding 127.0.0.1 "$port" alice pencil
check "--tls --no-channel-binding: SCRAM-SHA-256 over TLS, exit 0" status_is 0
check "... unbound" has "authenticated with SCRAM-SHA-256; the package verified"

pg_login 127.0.0.1 "$port" bob "$(printf '\342\205\250')"
check "bob's password as given (U+2168): the package's SASLprep matches PostgreSQL's, exit 0" status_is 0
pg_login 127.0.0.1 "$port" bob IX
check "... and as SASLprep leaves it (IX): the same verifier, exit 0" status_is 0

pg_login 127.0.0.1 "$port" carol secret
check "a role whose hba line asks for a cleartext password: refused, exit 3" status_is 3
check "... saying the server asked for another kind of authentication" has "asked for authentication of kind 3"

pg_login 127.0.0.1 1 alice pencil
check "nobody on the port: no connection, exit 2" status_is 2

# The verifier PostgreSQL stored, imported into sspkg's store and used by lsahost's
# server end: the same bytes authenticate alice.
verifier=$(sql "SELECT rolpassword FROM pg_authid WHERE rolname = 'alice'")
store="$B/test/pg-store.txt"
rm -f "$store"
lsahost --store="$store" user add alice "--verifier=$verifier"
check "PostgreSQL's verifier for alice imported (lsahost user add --verifier), exit 0" status_is 0
lsahost --store="$store" handshake --user=alice --password=pencil
check "... and lsahost's server end authenticates alice/pencil with it" status_is 0
lsahost --store="$store" handshake --user=alice --password=wrong
check "... and refuses a wrong password with it" sh -c "[ $rc -ne 0 ]"

kill "$lsahost_pid" 2>/dev/null
wait "$lsahost_pid" 2>/dev/null
done_testing
