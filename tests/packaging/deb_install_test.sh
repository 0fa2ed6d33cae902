#!/usr/bin/env bash
# tests/packaging/deb_install_test.sh BUILD_DIR — make the automuse .deb from BUILD_DIR (cpack),
# check it with lintian (errors fail, warnings do not), install it with dpkg, run the installed
# /usr/bin/automuse-host as the package's system user (--version; `plugins list` finds the three
# bundled plugins in the installed plugin folder), then purge it and check that the machine is
# as it was: every path the package had is gone unless it was there before, the user is gone.
# The package is purged whatever happens. Exit 77 (skipped) when not root.
set -euo pipefail
build_dir=$(cd "$1" && pwd)
package=automuse

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

if [ "$(id -u)" -ne 0 ]; then
  echo "SKIPPED: installing a .deb needs root (dpkg -i); run the test as root (CI does)"
  exit 77
fi
for tool in cpack dpkg dpkg-deb dpkg-shlibdeps lintian runuser; do
  command -v "$tool" >/dev/null || fail "$tool not found (scripts/packages.sh installs it)"
done
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build_dir/CMakeCache.txt")
[ "$prefix" = /usr ] ||
  fail "$build_dir is configured for prefix '$prefix'; the .deb needs -DCMAKE_INSTALL_PREFIX=/usr (scripts/configure.sh)"

# One run at a time on this machine, whichever build tree it comes from.
exec 9>/run/lock/automuse-deb-test.lock
flock -w 240 9 || fail "another deb_install_purge has held /run/lock/automuse-deb-test.lock for 4 minutes"

rm -rf /tmp/automuse-deb-test.*  # the scratch folders of killed runs: no other run is going
work=$(mktemp -d /tmp/automuse-deb-test.XXXXXX)

# dpkg waits for no one: another dpkg or apt holding its lock makes it fail at once.
dpkg_retry() {
  local i
  for i in $(seq 1 30); do
    if "$@" >"$work/dpkg.log" 2>&1; then return 0; fi
    grep -q 'dpkg.*lock' "$work/dpkg.log" || break
    sleep 2
  done
  cat "$work/dpkg.log" >&2
  return 1
}

# Set while the package this test installed is on the machine: a run killed meanwhile (ctest's
# timeout kills without a trap) leaves it, and the next run then purges what is its own.
marker=/run/lock/automuse-deb-test.installed
purge_ours() {
  dpkg_retry dpkg --purge "$package" && rm -f "$marker"
}
cleanup() {
  [ -e "$marker" ] && { purge_ours || echo "could not purge $package: dpkg --purge $package" >&2; }
  rm -rf "$work"
}
trap cleanup EXIT
if [ -e "$marker" ]; then
  echo "a killed run left $package installed: purging it first"
  purge_ours || fail "cannot purge the $package a killed run left"
fi

if dpkg-query -W -f '${Status}' "$package" 2>/dev/null | grep -q 'installed\|unpacked\|config-files'; then
  fail "$package is already on this machine (dpkg -l $package): the test will not replace it"
fi
getent passwd automuse >/dev/null && fail "a user 'automuse' exists already: the test will not touch it"
getent group automuse >/dev/null && fail "a group 'automuse' exists already: the test will not touch it"

echo "== cpack ($SECONDS s)"
cpack --config "$build_dir/CPackConfig.cmake" -G DEB -B "$work/pkg" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log" >&2; fail "cpack could not make the package"; }
deb=$(ls "$work"/pkg/${package}_*.deb)
dpkg-deb -f "$deb" Package Version Depends

echo "== lintian ($SECONDS s)"
lintian_ok=1
lintian --fail-on error --tag-display-limit 0 "$deb" >"$work/lintian.log" 2>&1 || lintian_ok=0
grep -v 'root privileges' "$work/lintian.log" || true
[ "$lintian_ok" = 1 ] || fail "lintian reports errors in $deb"

# What the package holds, and which of those paths this machine has before the install.
dpkg-deb --fsys-tarfile "$deb" | tar -t | sed 's|^\./|/|; s|/$||' | grep -v '^/\?$' >"$work/contents"
: >"$work/existed"
while read -r path; do
  if [ -e "$path" ] || [ -L "$path" ]; then
    [ -d "$path" ] && [ ! -L "$path" ] || fail "$path exists already: the install would replace it"
    echo "$path" >>"$work/existed"
  fi
done <"$work/contents"
for kept in /etc/automuse /var/lib/automuse; do
  [ -e "$kept" ] && fail "$kept exists already: the test will not touch it"
done

echo "== dpkg -i ($SECONDS s)"
touch "$marker"
dpkg_retry dpkg -i "$deb" || fail "dpkg -i $deb failed"
dpkg -L "$package" | grep -v '^/\.$' >"$work/listed"
getent passwd automuse >/dev/null || fail "postinst created no system user 'automuse'"

# The service user runs the installed host with nothing of this environment, in a scratch home.
home="$work/home"
install -d -o automuse -g automuse -m 700 "$home"
chmod 711 "$work"
as_service_user() {
  runuser -u automuse -- env -i PATH=/usr/bin:/bin HOME="$home" XDG_CONFIG_HOME="$home/config" \
    XDG_DATA_HOME="$home/data" "$@"
}
version=$(as_service_user /usr/bin/automuse-host --version) || fail "automuse-host --version failed"
echo "$version"
expected_version=$(dpkg-deb -f "$deb" Version)
[[ "$version" == "automuse-host $expected_version "* ]] ||
  fail "--version says '$version', the package is version $expected_version"

listing=$(as_service_user /usr/bin/automuse-host plugins list) || fail "automuse-host plugins list failed"
echo "$listing"
for plugin in youtube twitter afm; do
  file=$(grep "/automuse/plugins/lib$plugin.so$" "$work/listed") || fail "the package has no lib$plugin.so"
  grep -q "^$plugin " <<<"$listing" || fail "plugins list does not name $plugin"
  grep -qx "    $file" <<<"$listing" || fail "$plugin is not loaded from the installed $file"
done

if command -v systemd-analyze >/dev/null; then
  echo "== systemd-analyze verify"
  units=$(grep '/systemd/system/.*\.service$' "$work/listed")
  [ "$(wc -l <<<"$units")" -eq 2 ] || fail "expected two units in the package, found: $units"
  # shellcheck disable=SC2086
  systemd-analyze verify $units || fail "systemd-analyze finds errors in $units"
else
  echo "== systemd-analyze not found (package systemd): the units are not verified"
fi

echo "== dpkg --purge ($SECONDS s)"
purge_ours || fail "dpkg --purge $package failed"
dpkg-query -W "$package" >/dev/null 2>&1 && fail "dpkg still knows $package after the purge"
left=0
while read -r path; do
  if grep -qxF "$path" "$work/existed"; then
    [ -d "$path" ] || { echo "gone, but was there before: $path" >&2; left=1; }
  elif [ -e "$path" ] || [ -L "$path" ]; then
    echo "left behind: $path" >&2
    left=1
  fi
done <"$work/listed"
[ "$left" = 0 ] || fail "the purge left the machine different from before"
getent passwd automuse >/dev/null && fail "the purge left the user 'automuse'"
getent group automuse >/dev/null && fail "the purge left the group 'automuse'"
for kept in /etc/automuse /var/lib/automuse; do
  [ -e "$kept" ] && fail "$kept was created and left behind"
done
echo "PASS: $(wc -l <"$work/listed") paths installed and removed in $SECONDS s"
