"""The sanitizer pass (make test-asan) really runs sanitized code: the
binary and the Python extension it tests are the ASan + UBSan builds."""
import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.environ.get("RELCORE_SANITIZE") != "1",
                                reason="only in the sanitizer pass (make test-asan)")


def instrumented(path: Path) -> bool:
    data = path.read_bytes()
    return b"__asan_report_load" in data and b"__ubsan_handle_" in data


def test_the_binary_is_the_sanitizer_build(binary):
    assert instrumented(binary), binary


def test_the_extension_is_the_sanitizer_build():
    import relcore
    path = Path(relcore._core.__file__)
    assert instrumented(path), path
