"""What every forked process of the batch does to itself: the batch's workers, a long
document's page readers and the OCR processes."""
from __future__ import annotations

import resource


def die_with_parent() -> None:
    """A forked helper whose parent is killed (timeout) stops too."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def address_space() -> int:
    """Bytes of address space this process maps now (VmSize)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def cap_memory(max_memory_mb: int) -> None:
    """RLIMIT_AS at what the process maps now (what it inherited) plus `max_memory_mb`."""
    cap = address_space() + max_memory_mb * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ValueError, OSError):
        pass
