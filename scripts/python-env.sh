#!/usr/bin/env bash
# Prepare (once) a Python virtual environment for the project's Python parts and print its python path.
#
#   scripts/python-env.sh <name> [requirements.txt ...]     (default: python/requirements.txt)
#
# The venv lives in ${USERRL_PYENV_DIR:-<repo>/.venv}/<name> (ignored by git) and is rebuilt only when the
# requirements, python/pyproject.toml or the Python version change. The bridge package (python/) is on
# its path (editable, through a .pth file). Where pip is configured with a local wheel index (file://, as on the
# project's offline machines), that index is used directly instead of retrying the public one.
set -euo pipefail

name="${1:?usage: scripts/python-env.sh <name> [requirements.txt ...]}"
shift
repo="$(cd "$(dirname "$0")/.." && pwd)"
reqs=("$@")
[ ${#reqs[@]} -eq 0 ] && reqs=("$repo/python/requirements.txt")
py="${USERRL_PYTHON:-python3}"
command -v "$py" >/dev/null || { echo "python-env: $py not found" >&2; exit 3; }

root="${USERRL_PYENV_DIR:-$repo/.venv}"
dir="$root/$name"
mkdir -p "$root"
stamp="$({ "$py" --version 2>&1; cat "${reqs[@]}" "$repo/python/pyproject.toml"; echo "$repo"; } | sha256sum | cut -c1-16)"

# One builder at a time per venv (parallel test workers).
exec 9>"$root/.$name.lock"
command -v flock >/dev/null && flock 9

if [ ! -f "$dir/.userrl-stamp" ] || [ "$(cat "$dir/.userrl-stamp")" != "$stamp" ]; then
  if [ -z "${PIP_INDEX_URL:-}" ]; then
    # Local wheel indexes configured for pip (file:// URLs): use them first, so nothing waits on the network.
    local_indexes="$("$py" -m pip config list 2>/dev/null | grep -Eo "file://[^' ]+" || true)"
    if [ -n "$local_indexes" ]; then
      export PIP_INDEX_URL="$(echo "$local_indexes" | head -n1)"
      others="$(echo "$local_indexes" | tail -n +2 | tr '\n' ' ')"
      [ -n "$others" ] && export PIP_EXTRA_INDEX_URL="$others"
    fi
  fi
  echo "python-env: building $dir (index: ${PIP_INDEX_URL:-pip default})" >&2
  rm -rf "$dir"
  "$py" -m venv "$dir"
  for r in "${reqs[@]}"; do "$dir/bin/python" -m pip install -q --disable-pip-version-check -r "$r" >&2; done
  # The bridge package itself, editable without a build step: a .pth file puts python/ on the path.
  "$dir/bin/python" -c 'import site, sys; open(site.getsitepackages()[0] + "/userrl-bridge.pth", "w").write(sys.argv[1] + "\n")' "$repo/python"
  echo "$stamp" >"$dir/.userrl-stamp"
fi
echo "$dir/bin/python"
