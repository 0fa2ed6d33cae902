#!/usr/bin/env bash
# scripts/test.sh — the README's test command: installs any missing Debian packages, then
# configures, builds and runs the whole suite through ctest. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/packages.sh
source scripts/configure.sh
automuse_install_packages

# X's reference post length (npm's twitter-text, pinned by package-lock.json) for the
# conformance test in tests/twitter: installed from npm's registry when missing.
if [ ! -d tests/twitter/conformance/node_modules/twitter-text ]; then
  (cd tests/twitter/conformance && npm ci --no-audit --no-fund)
fi
# A real OpenAPI 3.1 validator (npm's @seriousme/openapi-schema-validator, pinned) for the web
# API's document and the API tests' answers (tests/web).
if [ ! -d tests/web/openapi/node_modules/@seriousme/openapi-schema-validator ]; then
  (cd tests/web/openapi && npm ci --no-audit --no-fund)
fi
# The dashboard's browser test drives Debian's chromium through npm's playwright-core (pinned);
# no browser is downloaded.
if [ ! -d tests/web/browser/node_modules/playwright-core ]; then
  (cd tests/web/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc)}
automuse_configure "$BUILD_DIR"
cmake --build "$BUILD_DIR" -j "$JOBS"
# Tests never reach the internet: everything remote is a fake on loopback.
cd "$BUILD_DIR"
# Every test keeps the logs it leaves here; the scan that runs last reads them all and fails on
# any secret the fakes use (tests/log/suite_log_scan_test.cpp).
export AUTOMUSE_TEST_LOG_DIR="$PWD/test-logs"
rm -rf "$AUTOMUSE_TEST_LOG_DIR"
# The PostgreSQL sweep of the end-to-end suites (label pg-sweep, docs/testing.md) takes many
# minutes: run it with `ctest -L pg-sweep`. Its quick part (label pg-fast) runs here.
ctest --output-on-failure -j "$JOBS" --timeout 600 -LE 'log_scan|pg-sweep|bench' "$@"
if [ $# -eq 0 ]; then  # the scan wants every suite's logs, so only after a whole run
  ctest --output-on-failure --timeout 600 -L log_scan
fi
