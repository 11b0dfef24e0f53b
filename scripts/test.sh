#!/usr/bin/env bash
# Installs what the tests need (the package with its test extra, Debian's chromium for the
# browser tests) and runs the whole suite: unit, database (SQLite and PostgreSQL), AppTest
# and real-browser tests. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'

# Debian's chromium (the browser tests, and the report's charts) and poppler-utils (the PDF tests
# read the report back with pdftotext and pdftoppm).
if [ ! -x /usr/bin/chromium ] || ! command -v pdftotext > /dev/null; then
    echo "Installerar chromium och poppler-utils för testerna …"
    SUDO=""
    if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium poppler-utils > /dev/null
fi

# Start the local PostgreSQL server if it is installed but stopped.
if command -v pg_ctlcluster > /dev/null && ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
fi

python3 -m ruff check .
python3 -m pytest -n 2 "$@"
