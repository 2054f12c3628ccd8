#!/bin/sh
# check-exports.sh LIB.so HEADER - fail if the shared library exports any
# symbol that is not part of the public API: every defined dynamic symbol
# must be a SKINNY_API function declared in HEADER (plus the linker's own
# _init/_fini/_edata/_end/__bss_start; version nodes (type A) are skipped),
# and every SKINNY_API function of
# HEADER must be exported.
set -eu
lib=$1
header=$2
NM=${NM:-nm}
exported=$("$NM" -D --defined-only "$lib" | awk '$2 != "A" {print $NF}' | sed 's/@.*//' | sort -u)
public=$(sed -n 's/.*SKINNY_API[^(]*[ *]\(skinny_[a-z0-9_]*\)(.*/\1/p' "$header" | sort -u)
status=0
for s in $exported; do
    case $s in
    _init | _fini | _edata | _end | __bss_start) continue ;;
    esac
    if ! echo "$public" | grep -qx "$s"; then
        echo "check-exports: $lib exports '$s', which is not in the public API of $header" >&2
        status=1
    fi
done
for s in $public; do
    if ! echo "$exported" | grep -qx "$s"; then
        echo "check-exports: public function '$s' is not exported by $lib" >&2
        status=1
    fi
done
[ $status -eq 0 ] && echo "check-exports: $(echo "$public" | wc -l) public functions exported, nothing else"
exit $status
