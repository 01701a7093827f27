"""The C core's own unit tests (tests/c/test_*.c), built and run by make.

Under the sanitizer run (RELCORE_SANITIZE=1) they are built with ASan and
UBSan instead, and run with leak detection on: they are plain programs,
not the Python process the sanitizer run keeps it off in (so the ASan
runtime is not preloaded into make either)."""
import os
import subprocess

from conftest import ROOT, run_make


def test_c_unit_tests_pass():
    env = dict(os.environ)
    target = "test-c"
    if os.environ.get("RELCORE_SANITIZE"):
        target = "test-c-asan"
        env.pop("LD_PRELOAD", None)
        env["ASAN_OPTIONS"] = "detect_leaks=1"
    build = run_make(f"build-{target}", capture_output=True, text=True, timeout=900, env=env)
    assert build.returncode == 0, build.stdout + build.stderr
    proc = subprocess.run(["make", "-s", "-C", str(ROOT), target], capture_output=True,
                          text=True, timeout=900, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert " passed, 0 failed" in proc.stdout
