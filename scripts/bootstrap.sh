# Sourced by scripts/run and scripts/test: make .venv and install drill into it.
# Re-installs only when pyproject.toml changed since the last install, so later runs are
# instant and silent. Setting up says what it is doing, on stderr (stdout stays drill's), with
# pip's progress; if pip fails, the end of its log is shown and the next run tries again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
python="${PYTHON:-python3}"
stamp=.venv/.drill-installed

_drill_progress() {
    # pip's lines worth seeing while it works, indented under the message.
    local line
    while IFS= read -r line; do
        case "$line" in
        Collecting* | "Installing collected"* | Successfully*) printf '  %s\n' "$line" >&2 ;;
        esac
    done
}

_drill_setup() {
    if [ ! -x .venv/bin/python ]; then
        echo "Setting up drill in .venv (first run only; about half a minute)..." >&2
        if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "drill needs Python 3.11 or newer; $python is $("$python" -V 2>&1 || echo missing)" >&2
            echo "(set PYTHON=/path/to/python3.11 to use another one)" >&2
            exit 1
        fi
        if ! "$python" -m venv .venv; then
            echo "could not create .venv: is Python's venv module installed?" \
                "(Debian/Ubuntu: apt install python3-venv)" >&2
            rm -rf .venv
            exit 1
        fi
    elif [ ! -f "$stamp" ]; then
        echo "Setting up drill in .venv (finishing an earlier setup that stopped)..." >&2
    else
        echo "Updating drill in .venv (pyproject.toml changed)..." >&2
    fi
    local log=.venv/setup.log status
    : >"$log"
    # A newer pip resolves faster; an old one still works, so its failure is not fatal.
    .venv/bin/python -m pip install --disable-pip-version-check --upgrade pip >>"$log" 2>&1 || true
    set +e
    .venv/bin/python -m pip install --disable-pip-version-check --progress-bar off -e '.[test]' \
        2>&1 | tee -a "$log" | _drill_progress
    status=${PIPESTATUS[0]}
    set -e
    if [ "$status" -ne 0 ]; then
        echo "setting up drill failed (pip exited with status $status). The end of its log" \
            "($root/.venv/setup.log):" >&2
        tail -n 15 "$log" | sed 's/^/  /' >&2
        echo "Fix the cause and run this again: setup starts over where it stopped." >&2
        exit "$status"
    fi
    touch "$stamp"
    echo "Ready." >&2
}

if [ ! -x .venv/bin/python ] || [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    _drill_setup
fi
