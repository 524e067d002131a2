#!/usr/bin/env bash
# Prints the path of a Python that has tritonclient[http]: the test-services venv if it has it,
# else .cache/venv-protocols (created on first use, from PyPI).
set -euo pipefail
cd "$(dirname "$0")/../.."
for py in .cache/venv-services/bin/python .cache/venv-protocols/bin/python; do
  if [ -x "$py" ] && "$py" -c 'import tritonclient.http' 2>/dev/null; then echo "$py"; exit 0; fi
done
python3 -m venv .cache/venv-protocols >&2
.cache/venv-protocols/bin/pip install -q 'tritonclient[http]' >&2
echo .cache/venv-protocols/bin/python
