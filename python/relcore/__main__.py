"""The ``relcore`` console script: the C command line, in this process."""
import sys

from . import _core


def main() -> int:
    """Run the relcore CLI on ``sys.argv`` (the same C code as the binary)."""
    sys.stdout.flush()
    status = _core.cli_main(["relcore"] + sys.argv[1:])
    return status


if __name__ == "__main__":
    sys.exit(main())
