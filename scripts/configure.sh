# scripts/configure.sh — the one build configuration scripts/test.sh, scripts/demo.sh and
# scripts/sanitize.sh use: sourced, it defines automuse_configure BUILD_DIR [CMAKE_ARGS...].
# ccache keeps rebuilds on the same machine quick (CI's clean clones included). The prefix /usr
# is the Debian package's (packaging/): `cmake --install` without --prefix writes there.
automuse_configure() {
  local build_dir=$1
  shift
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    -DAUTOMUSE_BUILD_TESTS=ON -DAUTOMUSE_BUILD_BENCH=ON -DCMAKE_INSTALL_PREFIX=/usr "$@"
}
