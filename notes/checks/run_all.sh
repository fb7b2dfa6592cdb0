#!/bin/sh
# Runs every note's check; non-zero if any claimed slip stops reproducing or a claimed-correct item fails.
# Options are passed through: --mnist (000: first loss on the real images), --full (004: the whole 100000-epoch XOR run).
cd "$(dirname "$0")" || exit 1
status=0
for f in check_000.py check_001.py check_002.py check_003.py check_004.py; do
    echo "== $f"
    python3 "$f" "$@" || status=1
done
exit $status
