"""Shared fixtures: paths, the two CLI front doors, and ../shared data.

The standalone binary is ./relcore (or $RELCORE_BIN, e.g. the sanitizer
build ./relcore-asan); it is built with make when missing.  The console
script is run as ``python -m relcore``, the same entry point that the
installed ``relcore`` script calls.
"""
import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "corpus"
SHARED = ROOT.parent / "shared"


def run_make(target: str, **kwargs) -> subprocess.CompletedProcess:
    """make -s TARGET in the repository, one make at a time (the workers of
    pytest -n would otherwise build the same objects at once)."""
    (ROOT / "build").mkdir(exist_ok=True)
    with open(ROOT / "build" / ".make.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return subprocess.run(["make", "-s", "-C", str(ROOT), target], **kwargs)


def _binary() -> Path:
    env = os.environ.get("RELCORE_BIN")
    if env:
        return Path(env).resolve()
    run_make("relcore", check=True, stdout=subprocess.DEVNULL)
    return ROOT / "relcore"


@pytest.fixture(scope="session")
def binary() -> Path:
    return _binary()


class Runner:
    """Runs the CLI through one front door and returns CompletedProcess."""

    def __init__(self, argv0: list[str]):
        self.argv0 = argv0

    def __call__(self, *args, input: bytes | None = None, cwd=None, check=False):
        proc = subprocess.run(self.argv0 + [str(a) for a in args], input=input,
                              capture_output=True, cwd=cwd, timeout=600)
        if check and proc.returncode != 0:
            raise AssertionError(f"relcore {args} failed ({proc.returncode}): "
                                 f"{proc.stderr.decode(errors='replace')}")
        return proc


@pytest.fixture(scope="session")
def cli(binary) -> Runner:
    """The standalone binary."""
    return Runner([str(binary)])


@pytest.fixture(scope="session")
def script() -> Runner:
    """The console script's entry point (relcore.__main__:main)."""
    return Runner([sys.executable, "-m", "relcore"])


@pytest.fixture(scope="session")
def examples() -> Path:
    assert EXAMPLES.is_dir(), "examples/corpus is part of the repository"
    return EXAMPLES


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "nosan: not run in the sanitizer pass (make test-asan): Dask worker "
        "processes and the notebook do not load the ASan runtime")


def in_threads(n: int, work) -> None:
    """Run work(i) for i in range(n), each on a thread of its own, all at
    once; then raise the first exception any of them raised."""
    import threading
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            work(i)
        except BaseException as e:  # noqa: BLE001 - raised below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared is not beside the repository)")
    return path


@pytest.fixture
def seeds() -> Path:
    return shared_path("seeds")


@pytest.fixture(scope="session")
def binary_path() -> Path:
    """The binary's path, for tests that cannot take function-scoped fixtures."""
    return _binary()
