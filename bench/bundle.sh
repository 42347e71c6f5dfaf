#!/usr/bin/env bash
# bundle.sh -- pack what bench/load.sh needs into one tarball, so that the
# load test can run on a machine that has none of Debian's packages (another
# distribution, no package registry), with the servers and wrk on separate
# CPUs.
#
#   bench/bundle.sh OUT.tar.xz NAME=BUILD_DIR [NAME=BUILD_DIR ...]
#
# The tarball holds, under devb/:
#   NAME/arbiterd      a wrapper that runs NAME/arbiterd.real with its own
#                      libarbiter.so and lib/ (one folder per build, so two
#                      builds can be compared in the same run)
#   bin/{wrk,nginx,curl,taskset}  wrappers around real/ with lib/
#   lib/               the shared libraries those programs need, except the C
#                      library itself (libc, libm, libpthread, libdl, librt,
#                      libresolv) and the C++ runtime, which the target
#                      machine's newer ones replace
#   share/hunspell, share/libexttextcat   data libarbiter reads at start-up
#                      (copy them to /usr/share on the target)
#
# On the target (as root), from the repository root:
#   tar -xJf OUT.tar.xz && D=$PWD/devb && cp -r $D/share/* /usr/share/ &&
#   PATH=$D/bin:$PATH SERVER_CPUS=2,3 CLIENT_CPUS=4-11 WRK_THREADS=4 \
#     bench/load.sh $D/NAME
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
OUT=$1; shift
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
B=$T/devb
mkdir -p "$B"/{lib,real,bin,share}
bins=()
for spec in "$@"; do
    name=${spec%%=*}; dir=${spec#*=}
    [ -x "$dir/arbiterd" ] || { echo "bundle.sh: no $dir/arbiterd" >&2; exit 2; }
    mkdir -p "$B/$name"
    cp "$dir/arbiterd" "$B/$name/arbiterd.real"
    cp -P "$dir"/libarbiter.so* "$B/$name/"
    printf '#!/bin/sh\nD=$(cd "$(dirname "$0")/.." && pwd)\nLD_LIBRARY_PATH=$D/%s:$D/lib exec "$D/%s/arbiterd.real" "$@"\n' \
        "$name" "$name" > "$B/$name/arbiterd"
    chmod +x "$B/$name/arbiterd"
    bins+=("$B/$name/arbiterd.real")
done
for p in wrk nginx curl taskset; do
    cp "$(command -v $p)" "$B/real/$p"
    printf '#!/bin/sh\nD=$(cd "$(dirname "$0")/.." && pwd)\nLD_LIBRARY_PATH=$D/lib exec "$D/real/%s" "$@"\n' "$p" > "$B/bin/$p"
    chmod +x "$B/bin/$p"
    bins+=("$B/real/$p")
done
for f in "${bins[@]}"; do
    LD_LIBRARY_PATH=$(dirname "$f") ldd "$f"
done | awk '/=>/ && $3 ~ /^\// {print $3}' | sort -u |
    grep -v -E '/(libc|libm|libpthread|libdl|librt|libresolv)\.so|libstdc\+\+|libgcc_s|libarbiter' |
    while read -r l; do cp -L "$l" "$B/lib/"; done
cp -r /usr/share/hunspell /usr/share/libexttextcat "$B/share/"
tar -cJf "$OUT" -C "$T" devb
echo "bundle.sh: $OUT ($(du -h "$OUT" | cut -f1))" >&2
