#!/usr/bin/env bash
# Refresh packaging/requirements.lock on purpose: the newest releases pyproject.toml's ranges admit, for every
# platform. Review the diff (CTranslate2, onnxruntime and PySide6 above all), run the tests, commit both.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
python3 -m venv "$tools"
"$tools/bin/python" -m pip install -q uv
"$tools/bin/uv" pip compile pyproject.toml --extra test --extra base --universal --python-version 3.11 \
  --quiet --custom-compile-command "bash packaging/refresh_lock.sh" -o packaging/requirements.lock
echo "packaging/requirements.lock refreshed; now: bash packaging/dev.sh test"
