# scripts/configure.sh — the one build configuration scripts/test.sh and scripts/demo.sh use:
# sourced, it defines automuse_configure BUILD_DIR. ccache keeps rebuilds on the same machine
# quick (CI's clean clones included).
automuse_configure() {
  cmake -S . -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    -DAUTOMUSE_BUILD_TESTS=ON -DAUTOMUSE_BUILD_BENCH=ON
}
