#!/usr/bin/env bash
# Regenerate requirements/ci.txt from a working environment: tools/pin.sh path/to/python
set -euo pipefail
python="${1:-python}"
out="$(dirname "$0")/../requirements/ci.txt"
{
  echo "# Exact versions the build and tests were run with (Python 3.11, Linux x86_64, CPU)."
  echo "# nox and .ci/run install from this file; regenerate with tools/pin.sh after an upgrade."
  "$python" -m pip freeze --exclude-editable | grep -v "^dlguide" | sed 's/^torch==\(.*\)+cpu$/torch==\1/'
} > "$out"
