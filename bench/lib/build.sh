# shellcheck shell=bash
# Builds one helper program of the benchmarks in BUILD_DIR (Release, CROSSVOICE_BENCH=ON, tests off), configuring
# the directory on first use. The caller sets ROOT, BUILD_DIR and WORK, and sources args.sh (note, die) first.

# build_bench_target TARGET: prints nothing on success; the program is then BUILD_DIR/bench/TARGET.
build_bench_target() {
    local target="$1" generator=()
    if ! grep -qs '^CROSSVOICE_BENCH:BOOL=ON$' "$BUILD_DIR/CMakeCache.txt"; then
        note "configuring $BUILD_DIR (Release, CROSSVOICE_BENCH=ON, CROSSVOICE_TESTS=OFF)"
        if [[ ! -f "$BUILD_DIR/CMakeCache.txt" ]] && command -v ninja >/dev/null; then generator=(-G Ninja); fi
        cmake -S "$ROOT" -B "$BUILD_DIR" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DCROSSVOICE_BENCH=ON \
            -DCROSSVOICE_TESTS=OFF >"$WORK/cmake-configure.log" 2>&1 || {
            tail -n 30 "$WORK/cmake-configure.log" >&2
            die "configuring $BUILD_DIR failed (output above; libbenchmark-dev installed?)"
        }
    fi
    note "building $target in $BUILD_DIR"
    cmake --build "$BUILD_DIR" -j 1 --target "$target" >"$WORK/cmake-build-$target.log" 2>&1 || {
        tail -n 30 "$WORK/cmake-build-$target.log" >&2
        die "building $target failed (output above)"
    }
    [[ -x "$BUILD_DIR/bench/$target" ]] || die "$BUILD_DIR/bench/$target was not produced by the build"
}
