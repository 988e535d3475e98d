#!/usr/bin/env bash
# Regenerates the system call number tables the seccomp filter reads (name number, one a line) from the kernel
# headers of linux-libc-dev: x86_64 from <asm/unistd_64.h>, aarch64 from <asm-generic/unistd.h> (the 64-bit view:
# __NR3264_x is x, fstatat is newfstatat).
set -euo pipefail
out="$(cd "$(dirname "$0")/../../../main/resources/dev/tungate/gateway/confine" && pwd)"
{ echo "# x86_64 system call numbers, from <asm/unistd_64.h> (linux-libc-dev); regenerate with modules/gateway/src/test/resources/it/seccomp-tables.sh"
  grep -E "^#define __NR_[a-z0-9_]+ [0-9]+" /usr/include/x86_64-linux-gnu/asm/unistd_64.h | awk '{sub("__NR_","",$2); print $2, $3}'
} > "$out/syscalls-x86_64.txt"
{ echo "# aarch64 system call numbers, from <asm-generic/unistd.h> as a 64-bit arch sees it; regenerate with modules/gateway/src/test/resources/it/seccomp-tables.sh"
  grep -E "^#define __NR(3264)?_[a-z0-9_]+ [0-9]+" /usr/include/asm-generic/unistd.h \
    | awk '{n=$2; sub("__NR3264_","",n); sub("__NR_","",n); if (n=="fstatat") n="newfstatat"; print n, $3}' | grep -v "^syscalls "
} > "$out/syscalls-aarch64.txt"
