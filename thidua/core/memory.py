"""Process memory: the cyclic garbage collector kept out of the hot reads."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while many small objects that form no cycle are built and read.

    Reference counting frees them; allocating them made the collector run in the middle of the work,
    promote them as survivors, and soon after make a full pass over the whole process's heap (50 to 200
    ms on the benchmarks' processes: docs/benchmarks.md). A collector paused elsewhere stays paused."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
