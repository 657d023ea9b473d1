"""The schemathesis command line, with `ast.parse` taken by one thread at a time.

CPython 3.11 keeps the AST constructor's recursion depth in per-interpreter state: when a garbage
collection during one thread's `ast.parse` runs Python code and hands the GIL to a second thread that
parses too, the first fails with "SystemError: AST constructor recursion depth mismatch" (gh-106905,
fixed in 3.12 only). With `--workers 2`, hypothesis describes each filter's lambda by parsing its
source in both workers, and a CI run died of it in the coverage phase.
"""

from __future__ import annotations

import ast
import sys
import threading
from typing import Any

from schemathesis.cli import schemathesis

_parse = ast.parse
_lock = threading.Lock()


def _parse_alone(*args: Any, **kwargs: Any) -> ast.AST:
    with _lock:
        return _parse(*args, **kwargs)


if __name__ == "__main__":
    ast.parse = _parse_alone  # type: ignore[assignment]
    sys.exit(schemathesis())
