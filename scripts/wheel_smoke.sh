#!/usr/bin/env bash
# The package as a user gets it: build the wheel from the checkout's tracked files, install it into a
# clean virtual environment in a temporary directory, and from there (no checkout in sight) run
# init, import, presence, the app's first page (Streamlit's AppTest) and `garrison serve` until its
# health check answers. Dependencies come from the package index; the build itself needs no network
# beyond the build backend (setuptools) that pip fetches for it.
#
#   scripts/wheel_smoke.sh            (PYTHON=... to choose the interpreter; KEEP=1 keeps the directory)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-python3}"
work="$(mktemp -d "${TMPDIR:-/tmp}/garrison-wheel.XXXXXX")"
server_pid=""

cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "${KEEP:-}" = 1 ]; then echo "wheel smoke: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

step() { echo "wheel smoke: $*"; }

# Tracked files only (as a clone has them), so a data file that was never added fails here.
step "copying the tracked files to $work/src"
mkdir -p "$work/src" "$work/dist" "$work/run"
git -C "$repo" ls-files -z | (cd "$repo" && tar --null -T - -cf -) | tar -C "$work/src" -xf -

step "building the wheel"
"$python" -m pip wheel --quiet --no-deps --wheel-dir "$work/dist" "$work/src"
wheel="$(ls "$work"/dist/garrison-*.whl)"
"$python" - "$wheel" <<'EOF'
import sys, zipfile

names = set(zipfile.ZipFile(sys.argv[1]).namelist())
needed = ["core/data/countries.csv", "core/data/countries.geojson", "core/data/country_names_cldr.csv",
          "core/data/country_aliases.csv", "core/data/territories.csv", "core/data/LICENSE-CLDR.txt",
          "core/data/name_words.csv", "dashboard/app.py", "dashboard/server.py",
          "dashboard/config.toml", "dashboard/views/map.py"]
missing = [n for n in needed if n not in names]
assert not missing, f"not in the wheel: {missing}"
EOF

step "installing $(basename "$wheel") into a clean virtual environment"
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$wheel"
garrison="$work/venv/bin/garrison"

cd "$work/run"  # nothing of the checkout here: the package must bring what it needs
db="sqlite:///$work/run/garrison.sqlite"
"$work/venv/bin/python" - <<'EOF'
import core
from pathlib import Path
assert "site-packages" in Path(core.__file__).parts, f"core imported from {core.__file__}, not the wheel"
EOF
step "init, import, presence"
"$garrison" init --db "$db"
"$garrison" import "$repo/data/reports.csv" --db "$db"
"$garrison" presence --db "$db" --as-of 2020-01-01 --deployer "United States" --host "Germany" --format json \
  > presence.json
"$work/venv/bin/python" - <<'EOF'
import json
rows = json.load(open("presence.json"))
assert len(rows) == 1 and rows[0]["host"] == "DEU" and rows[0]["troops"] > 0, rows
print(f"wheel smoke: US troops in Germany on 2020-01-01: {rows[0]['troops']:,}")
EOF
if "$garrison" presence --db "$db" --host "Persian Gulf" 2> refused.txt; then
  echo "wheel smoke: 'Persian Gulf' was accepted as a country" >&2; exit 1
fi
grep -q "unknown country 'Persian Gulf'" refused.txt

step "the app's first page (AppTest)"
GARRISON_DATABASE_URL="$db" "$work/venv/bin/python" - <<'EOF'
from pathlib import Path

import dashboard
from streamlit.testing.v1 import AppTest

app = Path(dashboard.__file__).with_name("app.py")
at = AppTest.from_file(str(app), default_timeout=120).run()
assert not at.exception, [e.value for e in at.exception]
assert at.get("deck_gl_json_chart"), "the map page drew no map"
assert Path(dashboard.__file__).with_name("static").joinpath("countries.geojson").is_file()
EOF

step "garrison serve"
# As on a fresh install: the polygons the AppTest step published are gone, and serve must publish them
# before its first request (each page's index.html asks for them before any script runs).
"$work/venv/bin/python" -c 'import dashboard.data as d; d.STATIC_POLYGONS.unlink()'
port="$("$work/venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$garrison" serve --db "$db" --port "$port" > serve.log 2>&1 &
server_pid=$!
PORT="$port" SERVER_PID="$server_pid" "$work/venv/bin/python" - <<'EOF' || { cat serve.log >&2; exit 1; }
import json, os, time, urllib.request

base = f"http://127.0.0.1:{os.environ['PORT']}"
deadline = time.monotonic() + 180  # generous: the first import of Streamlit on a loaded machine
while True:
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=5) as response:
            if response.status == 200:
                break
    except OSError:
        try:
            os.kill(int(os.environ["SERVER_PID"]), 0)
        except ProcessLookupError:
            raise SystemExit("wheel smoke: garrison serve exited") from None
        if time.monotonic() > deadline:
            raise SystemExit(f"wheel smoke: garrison serve did not answer at {base} in 180 s")
        time.sleep(0.5)
print(f"wheel smoke: serve answers at {base}/_stcore/health")
with urllib.request.urlopen(f"{base}/app/static/countries.geojson", timeout=30) as response:
    assert len(json.load(response)["features"]) > 200, "the map's polygons are not served"
with urllib.request.urlopen(f"{base}/", timeout=30) as response:  # dashboard/preload.py at work
    assert b'rel="modulepreload" crossorigin href="./static/js/DeckGlJsonChart.' in response.read()
EOF
step "passed"
