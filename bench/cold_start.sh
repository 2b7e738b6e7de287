#!/usr/bin/env bash
# Cold start of the README's run command: a fresh clone, a fresh HOME (so no uv, no pip or
# uv cache: every wheel is downloaded again), then `make run` until the API answers.
# Debian packages and Python itself are whatever the machine has.
#   bash bench/cold_start.sh
set -euo pipefail
repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
git clone -q "$repo" "$work/exhibitions"
mkdir -p "$work/home"
cd "$work/exhibitions"
start=$(date +%s.%N)
env -i HOME="$work/home" PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$(dirname "$(command -v python3)")" \
  PIP_CERT="${PIP_CERT:-}" SSL_CERT_FILE="${SSL_CERT_FILE:-}" PORT="$port" \
  make run > "$work/run.log" 2>&1 &
runner=$!
until curl -sf "http://127.0.0.1:$port/api/v1/exhibitions" > "$work/list.json" 2>/dev/null; do
  if ! kill -0 "$runner" 2>/dev/null; then cat "$work/run.log"; exit 1; fi
  sleep 0.2
done
end=$(date +%s.%N)
python3 - "$start" "$end" "$work/list.json" <<'PY'
import json, sys
start, end, listing = float(sys.argv[1]), float(sys.argv[2]), json.load(open(sys.argv[3]))
print(f"cold start to a listing of {listing['total']} exhibitions: {end - start:.1f} s")
PY
pkill -P "$runner" -f "exhibitions serve" 2>/dev/null || true
pkill -f "port $port" 2>/dev/null || true
kill "$runner" 2>/dev/null || true
rm -rf "$work"
