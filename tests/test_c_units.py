"""The C core's own unit tests (tests/c/test_*.c), built and run by make.

Under the sanitizer run (RELCORE_SANITIZE=1) they are built with ASan and
UBSan instead."""
import os
import subprocess

from conftest import ROOT


def test_c_unit_tests_pass():
    target = "test-c-asan" if os.environ.get("RELCORE_SANITIZE") else "test-c"
    proc = subprocess.run(["make", "-s", "-C", str(ROOT), target], capture_output=True,
                          text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert " passed, 0 failed" in proc.stdout
