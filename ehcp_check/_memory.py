"""How the command-line process asks the C library to manage its memory.

An audit of a large file builds and drops many arrays of a million rows (8 MB each). By
default glibc's allocator gives each such block back to the operating system when it is
freed (blocks above its *mmap threshold* get a mapping of their own; free memory at the
top of the heap is *trimmed*), so the next array is new memory again, and the kernel must
supply and zero each of its pages once more. On the virtual machines measured, those page
faults were up to a third of a million-row audit (``benchmarks/README.md``). Keeping freed
memory for reuse removes most of them; the peak stays about the same, since the process
reuses what it already holds.

Only the command line does this, for its own short-lived process and only for the
commands that read whole case files: the library never changes the allocator of a program
that imports it.
"""

from __future__ import annotations

import sys

#: ``mallopt`` parameters (glibc's ``malloc.h``).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
#: Blocks up to this size come from the heap, and are reused once freed.
_MMAP_THRESHOLD = 1 << 30
#: Free memory at the top of the heap is kept up to this size, not given back.
_TRIM_THRESHOLD = (1 << 31) - 1


def keep_freed_memory() -> bool:
    """Have glibc keep the memory this process frees, for its own reuse; True if it
    agreed. Anywhere but Linux with glibc (macOS, Windows, musl), nothing changes."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
        libc.gnu_get_libc_version  # noqa: B018  glibc only: musl's mallopt does nothing
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    trimmed = mallopt(_M_TRIM_THRESHOLD, _TRIM_THRESHOLD)
    mapped = mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD)
    return bool(trimmed and mapped)
