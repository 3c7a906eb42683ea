#!/usr/bin/env bash
# Tests of the Python package, the way a user gets it: a fresh virtualenv, `pip install ./python`,
# then `mypy --strict` on the package, the tests and the examples and `pytest -W error`. Exits with pytest's status.
#
#   python/run-tests.sh [pytest args...]
#
# TCROOM_PY_PROFILE=release builds the wheel as a user's pip would; the default here is the dev
# profile, which shares its compiled dependencies with `cargo build/test` in the same target dir.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
venv="$CARGO_TARGET_DIR/pyenv"
python="${PYTHON:-python3}"
profile="${TCROOM_PY_PROFILE:-dev}"

echo "== fresh virtualenv in $venv ($("$python" --version))"
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet maturin pytest mypy

echo "== pip install ./python (profile $profile)"
if [[ "$profile" != "release" ]]; then
    export MATURIN_PEP517_ARGS="--profile $profile"
fi
(cd "$root" && "$venv/bin/python" -m pip install --quiet ./python)

# From the repository root, so that `import tcroom` finds the installed package, not python/tcroom.
cd "$root"
echo "== mypy --strict"
"$venv/bin/mypy" --strict --config-file python/pyproject.toml python/tcroom python/tests python/examples

echo "== pytest"
status=0
"$venv/bin/pytest" -W error python/tests "$@" || status=$?
exit "$status"
