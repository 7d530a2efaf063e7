#!/usr/bin/env bash
# testgen / coverage e2e tests run the generated tests with real pytest and read
# real coverage.py output (tests/tests/testgen_pytest.rs, coverage_real.rs).
set -euo pipefail
PY="${PYTHON:-python3}"
"$PY" -m pip install --disable-pip-version-check --quiet \
  "pytest==8.3.4" "pytest-cov==6.0.0" "coverage==7.6.10" \
  "boto3==1.35.99" "requests==2.32.3"
"$PY" -c "import pytest, pytest_cov, coverage, boto3, requests; print('testgen python deps:', pytest.__version__, coverage.__version__, boto3.__version__, requests.__version__)"
