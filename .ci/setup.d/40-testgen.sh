#!/usr/bin/env bash
# testgen / coverage e2e tests run the generated tests with real pytest and read
# real coverage.py output (tests/tests/testgen_pytest.rs, coverage_real.rs,
# lsp_testgen.rs). Idempotent: pip leaves satisfied pins alone.
set -euo pipefail
PY="${PYTHON:-python3}"
PKGS=("pytest==8.3.4" "pytest-cov==6.0.0" "coverage==7.6.10" "boto3==1.35.99" "requests==2.32.3")
if ! "$PY" -m pip --version >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq python3-pip
fi
# Debian's system Python refuses plain installs (PEP 668): retry with the flag.
"$PY" -m pip install --disable-pip-version-check --quiet "${PKGS[@]}" \
  || "$PY" -m pip install --disable-pip-version-check --quiet --break-system-packages "${PKGS[@]}"
"$PY" -c "import pytest, pytest_cov, coverage, boto3, requests; print('testgen python deps:', pytest.__version__, coverage.__version__, boto3.__version__, requests.__version__)"
