#!/usr/bin/env bash
# The operators' guide (docs/operators/) in executable form, run as root by `make test-operators`.
#
# It follows the guide command for command on this machine, in a temporary folder instead of
# /srv, /etc and /var, with a namespaced service user and databases, a Redis of its own and a
# loopback SMTP server: service user, keys, install from requirements/base.txt alone, migrate,
# the first administrator, the three processes (started without systemd), a test message
# delivered, a fan-out over two web processes and two workers with none lost or duplicated,
# a backup, a restore into a second database, a key rotation, the restore of the backup made
# before it, an added language, and an upgrade to a newer commit. It ends with the product
# answering and the message delivered, and removes everything it made.
#
# Needs: root, PostgreSQL on 127.0.0.1:5432 (user postgres, trust), redis-server, gettext, git,
# and a Python with aiosmtpd for the loopback SMTP server (SMTP_PYTHON, default .venv/bin/python).
set -euo pipefail

SRC="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
SMTP_PYTHON="${SMTP_PYTHON:-$SRC/.venv/bin/python}"
# `python3` in the guide: Debian's own, which every user can run (python3-venv installed).
SYSTEM_PYTHON="${SYSTEM_PYTHON:-/usr/bin/python3}"
"$SYSTEM_PYTHON" -c "import ensurepip, venv" 2>/dev/null || { echo "test-operators: $SYSTEM_PYTHON cannot make a venv (apt-get install python3-venv)"; exit 1; }
PG_ADMIN="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
[ "$(id -u)" = 0 ] || { echo "test-operators: run as root (it creates a service user)"; exit 1; }

START=$SECONDS
step() { printf '\n== %s (%ss)\n' "$*" "$((SECONDS - START))"; }
fail() { echo "test-operators: FAILED: $*" >&2; exit 1; }

# Names of this run: a service user and databases of its own, a temporary root for /srv, /etc, /var.
RUN="$$"
SERVICE_USER="lifeline_ops_$RUN"
DB="lifeline_ops_${RUN}_main"
DB_RESTORE="lifeline_ops_${RUN}_restore"
DB_PASSWORD="ops-$RANDOM-$RANDOM"
ROOT="$(mktemp -d /tmp/lifeline-ops.XXXXXX)"
chmod 755 "$ROOT"
SRV="$ROOT/srv/lifeline"                 # /srv/lifeline in the guide
ETC="$ROOT/etc/lifeline"                 # /etc/lifeline
DATA="$ROOT/var/lib/lifeline"            # /var/lib/lifeline
BACKUPS="$ROOT/var/backups/lifeline"     # /var/backups/lifeline
ORIGIN="$ROOT/origin.git"                # the repository the guide clones from
MAIL="$ROOT/mail"
export LIFELINE_ENV_FILE="$ETC/lifeline.env"
port() { "$SMTP_PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
WEB_PORT="$(port)"; WEB_PORT2="$(port)"; SMTP_PORT="$(port)"; REDIS_PORT="$(port)"

PIDS=()
cleanup() {
  set +e
  for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
  sleep 1
  for pid in "${PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null; done
  psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "DROP DATABASE IF EXISTS $DB_RESTORE WITH (FORCE)" \
    -c "DROP ROLE IF EXISTS $SERVICE_USER" >/dev/null 2>&1
  userdel "$SERVICE_USER" 2>/dev/null
  getent group "$SERVICE_USER" >/dev/null && groupdel "$SERVICE_USER" 2>/dev/null
  rm -rf "$ROOT"
}
trap cleanup EXIT

# Start a long-running process in its own process group (systemd's job in production).
background() {
  local name="$1"; shift
  setsid "$@" >"$ROOT/$name.log" 2>&1 &
  PIDS+=("$!")
  eval "PID_${name//-/_}=$!"
}
stop() {
  local pid; pid="$(eval echo "\$PID_${1//-/_}")"
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
  kill -KILL -- "-$pid" 2>/dev/null || true
}
wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local limit="$1" what="$2"; shift 2
  for _ in $(seq 1 "$((limit * 2))"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  for log in "$ROOT"/*.log; do echo "--- $log"; tail -n 30 "$log"; done
  fail "$what"
}
get() {  # get PORT PATH: what nginx would pass on (HTTPS, the host name)
  curl -fsS -H "X-Forwarded-Proto: https" -H "Host: lifeline.example.org" "http://127.0.0.1:$1$2"
}
mails() { find "$MAIL/new" -type f 2>/dev/null | wc -l; }
mails_at_least() { [ "$(mails)" -ge "$1" ]; }
set_env() {  # set_env NAME VALUE: what an operator does in an editor
  sed -i "/^$1=/d" "$LIFELINE_ENV_FILE"
  echo "$1=$2" >>"$LIFELINE_ENV_FILE"
}

step "the repository to install from: this commit, with any uncommitted changes, tagged ops-test-1"
git clone --quiet --no-local "$SRC" "$ORIGIN"
git -C "$SRC" diff HEAD --binary | git -C "$ORIGIN" apply --allow-empty
git -C "$SRC" ls-files --others --exclude-standard -z | (cd "$SRC" && xargs -0 -r cp -P --parents -t "$ORIGIN")
git -C "$ORIGIN" -c user.name=ops -c user.email=ops@example.org commit --quiet --allow-empty -a -m "working tree"
git -C "$ORIGIN" add -A && git -C "$ORIGIN" -c user.name=ops -c user.email=ops@example.org commit --quiet --allow-empty -m "new files"
git -C "$ORIGIN" tag ops-test-1

step "install.md 1-3: service user, folders, code, Python packages from requirements/base.txt alone"
useradd --system --user-group --home-dir "$DATA" --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
install -d -o "$SERVICE_USER" -g "$SERVICE_USER" -m 750 "$DATA" "$DATA/media" "$DATA/static" "$DATA/locale"
install -d -m 750 -g "$SERVICE_USER" "$ETC"
mkdir -p "$(dirname "$SRV")"
git clone --quiet "$ORIGIN" "$SRV"
git -C "$SRV" checkout --quiet ops-test-1
if [ -n "${OPS_TEST_VENV:-}" ]; then
  ln -s "$OPS_TEST_VENV" "$SRV/.venv"   # development shortcut: a venv made earlier from base.txt
else
  "$SYSTEM_PYTHON" -m venv "$SRV/.venv"
  "$SRV/.venv/bin/pip" install --quiet -r "$SRV/requirements/base.txt" 2>&1 | grep -v "is ignored" || true
fi
(cd "$SRV" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)   # install.md 3: the map's library
"$SRV/.venv/bin/python" "$SRV/manage.py" compilemessages --ignore=.venv -v 0
mkdir -p "$ROOT/bin" && ln -s "$SRV/deploy/lifeline" "$ROOT/bin/lifeline"   # the guide: /usr/local/bin/lifeline
export PATH="$ROOT/bin:$PATH"

step "install.md 4: database and role"
psql -q "$PG_ADMIN" -c "CREATE ROLE $SERVICE_USER LOGIN PASSWORD '$DB_PASSWORD'"
psql -q "$PG_ADMIN" -c "CREATE DATABASE $DB OWNER $SERVICE_USER"

step "install.md 5: keys and the environment file"
lifeline keys >"$LIFELINE_ENV_FILE"
grep -q '^LIFELINE_INDEX_KEY=.\{40,\}' "$LIFELINE_ENV_FILE" || fail "lifeline keys made no index key"
cat >>"$LIFELINE_ENV_FILE" <<EOF
LIFELINE_ENV=production
LIFELINE_USER=$SERVICE_USER
DATABASE_URL=postgres://$SERVICE_USER:$DB_PASSWORD@127.0.0.1:5432/$DB
BROKER_URL=redis://127.0.0.1:$REDIS_PORT/0
CACHE_URL=redis://127.0.0.1:$REDIS_PORT/1
ALLOWED_HOSTS=lifeline.example.org
CSRF_TRUSTED_ORIGINS=https://lifeline.example.org
SITE_URL=https://lifeline.example.org
TRUSTED_PROXY_HOPS=1
LIFELINE_DATA_DIR=$DATA
MEDIA_ROOT=$DATA/media
STATIC_ROOT=$DATA/static
LIFELINE_LOCALE_DIR=$DATA/locale
LIFELINE_BACKUP_DIR=$BACKUPS
EMAIL_HOST=127.0.0.1
EMAIL_PORT=$SMTP_PORT
DEFAULT_FROM_EMAIL=lifeline@example.org
WEB_PORT=$WEB_PORT
WEB_WORKERS=1
WORKER_CONCURRENCY=2
LOG_LEVEL=INFO
LIFELINE_HEARTBEAT_SECONDS=2
MESSAGING_BATCH_SIZE=10
EOF
chown "root:$SERVICE_USER" "$LIFELINE_ENV_FILE"
chmod 640 "$LIFELINE_ENV_FILE"

step "the command refuses to run without its environment file"
if LIFELINE_ENV_FILE="$ROOT/missing.env" lifeline manage migrate 2>"$ROOT/refused.txt"; then fail "ran without an environment file"; fi
grep -q "cannot read the environment file" "$ROOT/refused.txt" || fail "no clear refusal: $(cat "$ROOT/refused.txt")"

step "install.md 6: check, migrate, statics, first administrator"
lifeline check
lifeline manage migrate --no-input -v 0
lifeline manage collectstatic --no-input -v 0
LIFELINE_ADMIN_PASSWORD="Ops-test-$RANDOM-password" lifeline first-admin --organisation "Civil Defence Directorate" \
  --country JO --username admin --email admin@example.org
[ "$(stat -c %U "$DATA/static")" = "$SERVICE_USER" ] || fail "statics not owned by the service user"

step "install.md 7: the three processes (systemd in production; here, started by hand), Redis and SMTP on loopback"
background redis redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no
background smtp "$SMTP_PYTHON" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$MAIL"
wait_for 20 "redis did not start" redis-cli -p "$REDIS_PORT" ping
wait_for 20 "the SMTP server did not start" bash -c "exec 3<>/dev/tcp/127.0.0.1/$SMTP_PORT"
background web lifeline web
background worker lifeline worker
background scheduler lifeline scheduler
wait_for 60 "/healthz did not answer" get "$WEB_PORT" /healthz
wait_for 90 "/readyz did not become ready" get "$WEB_PORT" /readyz
lifeline status >/dev/null
[ "$(ps -o user= -p "$(pgrep -f -u "$SERVICE_USER" granian | head -1)")" = "$SERVICE_USER" ] || fail "web not run by the service user"

step "a test message goes through the queue, a worker and SMTP"
lifeline send-test operator@example.org
wait_for 60 "the test message was not delivered" mails_at_least 1
grep -rqs "operator@example.org" "$MAIL/new" || fail "delivered to the wrong address"

step "scaling.md: two web processes and two workers on one database and broker; a fan-out, none lost or duplicated"
background web2 lifeline web "$WEB_PORT2"
background worker2 lifeline worker second
wait_for 60 "the second web process did not answer" get "$WEB_PORT2" /readyz
before="$(mails)"
lifeline send-test fanout@example.org --copies 60
wait_for 90 "the fan-out was not delivered" mails_at_least "$((before + 60))"
sleep 2
[ "$(mails)" = "$((before + 60))" ] || fail "duplicates: $(( $(mails) - before )) messages for 60 recipients"
unique="$(grep -rhoE '^To: fanout\+[0-9]+@example.org' "$MAIL/new" | sort -u | wc -l)"
[ "$unique" = 60 ] || fail "$unique distinct recipients of 60"
stop web2; stop worker2

step "no worker: sends wait, readiness says so"
stop worker
sleep 7
if get "$WEB_PORT" /readyz >/dev/null 2>&1; then fail "/readyz ready with no worker"; fi
lifeline send-test waiting@example.org
if lifeline status >"$ROOT/status.json" 2>/dev/null; then fail "status ready with no worker"; fi
grep -q '"sends_waiting": [1-9]' "$ROOT/status.json" || fail "status does not count the waiting send"
background worker lifeline worker
wait_for 60 "the waiting message was not delivered" grep -rqs "waiting@example.org" "$MAIL/new"

step "backups.md: a backup (private), a restore into a second database"
old_backup="$(lifeline backup)"
[ "$(stat -c %a "$old_backup/database.dump")" = 600 ] || fail "the dump is readable by others"
[ "$(stat -c %a "$BACKUPS")" = 700 ] || fail "the backup folder is readable by others"
grep -q '^encryption_key=' "$old_backup/KEYS" || fail "the backup does not name its keys"
psql -q "$PG_ADMIN" -c "CREATE DATABASE $DB_RESTORE OWNER $SERVICE_USER"
lifeline restore "$old_backup" --database "postgres://$SERVICE_USER:$DB_PASSWORD@127.0.0.1:5432/$DB_RESTORE" --no-media

step "install.md, Keys: rotate; the old key is retired, not dropped"
old_key="$(sed -n 's/^LIFELINE_ENCRYPTION_KEYS=//p' "$LIFELINE_ENV_FILE")"
new_key="$(lifeline keys --encryption-key)"
set_env LIFELINE_ENCRYPTION_KEYS "$new_key"
set_env LIFELINE_RETIRED_KEYS "$old_key"
stop web; stop worker; stop scheduler   # systemctl restart lifeline-web lifeline-worker lifeline-scheduler
background web lifeline web
background worker lifeline worker
background scheduler lifeline scheduler
wait_for 90 "not ready after the new key" get "$WEB_PORT" /readyz
lifeline manage rotate_keys
lifeline manage check_keys

step "backups.md: the backup made before the rotation restores again into the same database, and reads (the retired key)"
lifeline restore "$old_backup" --database "postgres://$SERVICE_USER:$DB_PASSWORD@127.0.0.1:5432/$DB_RESTORE" --no-media
# Without the retired key the same restore cannot read its personal data: the check says so.
sed -i '/^LIFELINE_RETIRED_KEYS=/d' "$LIFELINE_ENV_FILE"
if lifeline restore "$old_backup" --database "postgres://$SERVICE_USER:$DB_PASSWORD@127.0.0.1:5432/$DB_RESTORE" --no-media 2>"$ROOT/nokey.txt"; then
  fail "a restore without the retired key passed its check"
fi
grep -q "cannot be read" "$ROOT/nokey.txt" || fail "no clear message without the retired key"
set_env LIFELINE_RETIRED_KEYS "$old_key"

step "install.md, Adding a language: Bengali, outside the checkout"
lifeline language bn
po="$DATA/locale/bn/LC_MESSAGES/django.po"
sed -i '/^msgid "Log in"$/{n;s/^msgstr ""$/msgstr "লগ ইন করুন"/}' "$po"   # the translator's work (as root)
set_env LIFELINE_LANGUAGES "bn:বাংলা"
lifeline languages
stop web
background web lifeline web
wait_for 60 "web did not come back" get "$WEB_PORT" /healthz
curl -fsS -H "X-Forwarded-Proto: https" -H "Host: lifeline.example.org" -H "Accept-Language: bn" \
  "http://127.0.0.1:$WEB_PORT/account/login/" | grep -q "লগ ইন করুন" || fail "the added language is not served"
[ -z "$(git -C "$SRV" status --porcelain)" ] || fail "adding a language changed the checkout"

step "upgrades.md: a newer release (ops-test-2); a dirty checkout is refused; the upgrade backs up, migrates, restarts"
echo "Upgrade test release." >>"$ORIGIN/CHANGELOG.md"
git -C "$ORIGIN" -c user.name=ops -c user.email=ops@example.org commit --quiet -am "A newer release"
git -C "$ORIGIN" tag ops-test-2
touch "$SRV/stray-file"
if lifeline upgrade ops-test-2 2>"$ROOT/dirty.txt"; then fail "upgraded a dirty checkout"; fi
grep -q "local changes" "$ROOT/dirty.txt" || fail "no clear refusal of a dirty checkout"
[ "$(git -C "$SRV" describe --tags)" = ops-test-1 ] || fail "a refused upgrade changed the code"
rm "$SRV/stray-file"
backups_before="$(find "$BACKUPS" -mindepth 1 -maxdepth 1 -type d | wc -l)"
if lifeline upgrade no-such-release 2>/dev/null; then fail "upgraded to a release that does not exist"; fi
lifeline upgrade ops-test-2 2>&1 | tee "$ROOT/upgrade.txt"
[ "$(git -C "$SRV" describe --tags)" = ops-test-2 ] || fail "the code was not upgraded"
if grep -q "not yet reflected in a migration" "$ROOT/upgrade.txt"; then fail "the added language asks for a migration"; fi
[ "$(find "$BACKUPS" -mindepth 1 -maxdepth 1 -type d | wc -l)" -gt "$backups_before" ] || fail "no backup before the upgrade"
stop web; stop worker; stop scheduler   # systemd restarts all three in production
background web lifeline web
background worker lifeline worker
background scheduler lifeline scheduler
wait_for 90 "not ready after the upgrade" get "$WEB_PORT" /readyz
curl -fsS -H "X-Forwarded-Proto: https" -H "Host: lifeline.example.org" -H "Accept-Language: bn" \
  "http://127.0.0.1:$WEB_PORT/account/login/" | grep -q "লগ ইন করুন" || fail "the added language was lost in the upgrade"
lifeline send-test after-upgrade@example.org
wait_for 60 "no message after the upgrade" grep -rqs "after-upgrade@example.org" "$MAIL/new"

step "the unit files (systemd-analyze verify, with this run's paths and user)"
if command -v systemd-analyze >/dev/null; then
  units="$ROOT/units"; mkdir -p "$units"
  for f in "$SRC"/deploy/systemd/*; do
    sed -e "s#/srv/lifeline#$SRV#g" -e "s#/etc/lifeline#$ETC#g" -e "s#=lifeline\$#=$SERVICE_USER#" "$f" >"$units/$(basename "$f")"
  done
  # verify exits 0 on directives it ignores: any line it prints is a failure here.
  out="$(systemd-analyze verify --man=no "$units"/*.service "$units"/*.timer 2>&1)" || fail "systemd-analyze: $out"
  [ -z "$out" ] || fail "systemd-analyze: $out"
else
  echo "systemd-analyze is not installed: unit files not verified (apt-get install systemd)"
fi

step "done: the product answers and every message was delivered ($(mails) messages)"
