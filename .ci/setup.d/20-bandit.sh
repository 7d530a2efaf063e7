#!/usr/bin/env bash
# Rules area: bandit parity test (tests/tests/bandit_parity.rs).
# Installs bandit 1.9.4 (the answer key) and unpacks its sdist, whose
# examples/ folder is the corpus, into <target>/parity/bandit-1.9.4/.
set -euo pipefail
cd "$(dirname "$0")/../.."

BANDIT_VERSION=1.9.4
target="${CARGO_TARGET_DIR:-target}"
dest="$target/parity"

if ! python3 -m bandit --version 2>/dev/null | grep -q "$BANDIT_VERSION"; then
  python3 -m pip install --quiet "bandit==$BANDIT_VERSION"
fi

if [ ! -d "$dest/bandit-$BANDIT_VERSION/examples" ]; then
  mkdir -p "$dest"
  python3 -m pip download --quiet --no-deps --no-binary :all: \
    "bandit==$BANDIT_VERSION" -d "$dest"
  tar -xzf "$dest/bandit-$BANDIT_VERSION.tar.gz" -C "$dest"
fi
test -d "$dest/bandit-$BANDIT_VERSION/examples"
echo "bandit $BANDIT_VERSION and its examples ready in $dest/bandit-$BANDIT_VERSION"
