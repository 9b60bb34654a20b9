"""Freed memory is handed back after a large allocation (glibc only)."""

import ctypes.util

import pytest

from carriermap.web.memory import release_free_memory


@pytest.mark.skipif(not ctypes.util.find_library("c"), reason="no C library to ask")
def test_release_after_freeing_a_large_allocation_returns_pages():
    blocks = [bytearray(64 * 1024) for _ in range(2000)]  # ~128 MB in small heap blocks
    del blocks
    assert release_free_memory() is True


def test_allocator_is_tuned_on_glibc():
    import platform

    from carriermap.web.memory import tune_allocator

    if platform.libc_ver()[0] != "glibc":
        pytest.skip("the allocator settings are glibc's")
    assert tune_allocator() is True
