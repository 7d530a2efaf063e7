#!/usr/bin/env bash
# Graph area: grimp (the import-graph reference for tests/tests/grimp_agree.rs)
# and the Django 5.1.4 sources it compares on (shared with the corpus bench).
set -euo pipefail
cd "$(dirname "$0")/../.."

GRIMP_VERSION="3.19"
if ! python3 -c "import grimp" >/dev/null 2>&1; then
  python3 -m pip install --quiet "grimp==${GRIMP_VERSION}" \
    || python3 -m pip install --quiet --break-system-packages "grimp==${GRIMP_VERSION}"
fi
python3 -c "import grimp; print('grimp', grimp.__version__)"

DJANGO="5.1.4"
CACHE=".bench-cache"
DEST="${CACHE}/django-${DJANGO}"
if [ ! -f "${DEST}/.complete" ]; then
  mkdir -p "${CACHE}"
  if [ ! -f "${CACHE}/Django-${DJANGO}.tar.gz" ] && [ ! -f "${CACHE}/django-${DJANGO}.tar.gz" ]; then
    python3 -m pip download --quiet --no-deps --no-binary :all: "django==${DJANGO}" -d "${CACHE}"
  fi
  tarball="$(ls "${CACHE}"/[Dd]jango-"${DJANGO}".tar.gz | head -n1)"
  rm -rf "${CACHE}/extract.tmp" "${DEST}"
  mkdir -p "${CACHE}/extract.tmp"
  tar xzf "${tarball}" -C "${CACHE}/extract.tmp"
  mv "${CACHE}/extract.tmp"/* "${DEST}"
  rmdir "${CACHE}/extract.tmp"
  touch "${DEST}/.complete"
fi
echo "Django ${DJANGO} sources: ${DEST}"
