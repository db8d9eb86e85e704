#!/usr/bin/env bash
# Formats every hand-written Swift file in place, then lints strictly (CI runs `scripts/format.sh --check`).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files 'Sources/*.swift' 'Tests/*.swift' 'Benchmarks/*.swift' | grep -v '/Generated/')
if [ "${1:-}" != "--check" ]; then
    swift format --in-place --parallel "${files[@]}"
fi
swift format lint --strict --parallel "${files[@]}"
