#!/usr/bin/env bash
# Install the Debian packages the report tests need, only when they are missing.
#
# Why a script: `make test` is the single CI command and `.ci/run` starts on a fresh machine, so
# the browser test (headless Chromium + chromedriver) and the PDF test (WeasyPrint, which loads
# Pango through ctypes and needs at least one font) must find these system libraries there.
# Idempotent: a machine that has them all does not touch apt at all (no `apt-get update`).
# Never fails the build: when the packages cannot be installed (not root, no apt-get, mirror
# unreachable) it says why and exits 0, and the tests that need them skip with that reason.
set -uo pipefail

# chromium/chromium-driver: the browser test; libpango*/libharfbuzz-subset0/fonts: WeasyPrint
# (its documented Debian >= 11 prerequisites) and a font that has German umlauts for both.
PACKAGES=(
    chromium
    chromium-driver
    libpango-1.0-0
    libpangoft2-1.0-0
    libharfbuzz-subset0
    fonts-dejavu-core
)

installed() {
    [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == "installed" ]]
}

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_test_system_packages: apt-get/dpkg not available on this machine;" \
        "the browser and PDF tests skip unless ${PACKAGES[*]} are provided otherwise."
    exit 0
fi

missing=()
for package in "${PACKAGES[@]}"; do
    installed "$package" || missing+=("$package")
done
if [[ ${#missing[@]} -eq 0 ]]; then
    echo "ensure_test_system_packages: all present (${PACKAGES[*]})."
    exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
    echo "ensure_test_system_packages: missing ${missing[*]}, but not running as root;" \
        "install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}." \
        "The tests that need them will skip."
    exit 0
fi

echo "ensure_test_system_packages: installing ${missing[*]} ..."
export DEBIAN_FRONTEND=noninteractive
started=$SECONDS
if apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
    echo "ensure_test_system_packages: installed ${missing[*]} in $((SECONDS - started)) s."
else
    echo "ensure_test_system_packages: apt-get could not install ${missing[*]} (see above);" \
        "the tests that need them will skip."
fi
exit 0
