# scripts/packages.sh — the Debian packages AutoMuse builds, tests and runs with, and a
# function that installs only those missing (dpkg -s first; apt-get update once).
AUTOMUSE_PACKAGES=(
  build-essential cmake ninja-build pkg-config git ccache universal-ctags
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libcli11-dev libspdlog-dev libfmt-dev
  libcurl4-openssl-dev libssl-dev openssl ca-certificates
  libsqlite3-dev libpq-dev postgresql zlib1g-dev libicu-dev libxml2-dev
  libavformat-dev libavcodec-dev libavfilter-dev libavutil-dev libswscale-dev libswresample-dev
  libebur128-dev
  ffmpeg libass-dev fonts-dejavu-core fonts-noto-cjk
  libespeak-ng-dev espeak-ng espeak-ng-data
  libgtest-dev libgmock-dev
  python3 python3-aiohttp
  nodejs
  chromium
  nghttp2-server
  dpkg-dev lintian
)

automuse_install_packages() {
  local missing=()
  for p in "${AUTOMUSE_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  # Debian's nodejs comes without npm (a package of its own); NodeSource's has it built in and
  # conflicts with Debian's npm, so ask for npm only when there is no npm command.
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  if ((${#missing[@]})); then
    echo "Installing missing packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
  fi
}
