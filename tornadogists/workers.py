"""CPU work that may not finish (Pygments on hostile input) in a child process killed past a time limit."""

import functools
import multiprocessing
import resource
import sys
from pathlib import Path

# forkserver: each child forks from a small single-threaded server that has already imported
# the renderers, so a child starts in ~12 ms and inherits none of the site's threads, sockets or locks.
_CONTEXT = multiprocessing.get_context("forkserver")
RENDERERS = ["tornadogists.text.markdown", "tornadogists.services.gists", "tornadogists.services.rendering"]


@functools.cache
def _preloaded() -> None:
    """The forkserver's imports, set once before it starts: the renderers, and the parent's main module.

    A child runs its parent's main module again before its work. multiprocessing's own "__main__"
    preload never happens (CPython hands the forkserver the main's path under a key it does not read),
    so each child imported all the main imports again: the site's modules, 90–120 ms for
    a 3 ms comment render. The main imported once under its own name (`run` for run.py,
    `tornadogists.processes` for a worker) makes that run cost almost nothing."""
    main = sys.modules["__main__"]
    name = getattr(main.__spec__, "name", None) or Path(getattr(main, "__file__", "") or "").stem
    # A package's __main__ is not run again in a child (multiprocessing skips it), nor imported here.
    _CONTEXT.set_forkserver_preload([*([name] if name and not name.endswith("__main__") else []), *RENDERERS])


# A child's address space: far above what a 3 MB gist takes to highlight, far below what would
# hurt the machine. Past it an allocation fails and the child dies, which its caller sees as TooSlow
# (issue 22: a 16 KB comment the sanitiser grew to 14 MB took 400 MB to build).
CHILD_MEMORY_BYTES = 1024 * 1024 * 1024


class TooSlow(Exception):
    """The work did not finish within its time limit, or its process died (or ran out of memory)."""


def run_with_time_limit(seconds: float, function, *args):
    """function(*args) in a child process, killed past `seconds`. Blocks: call it in an executor."""
    _preloaded()
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(target=_child, args=(sender, function, args), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise TooSlow(f"{function.__name__} took more than {seconds} s")
        failed, value = receiver.recv()
    except EOFError:
        raise TooSlow(f"{function.__name__}: its process died") from None
    finally:
        process.kill()
        process.join()
        receiver.close()
    if failed:
        raise value
    return value


def _child(sender, function, args) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_BYTES, CHILD_MEMORY_BYTES))
    try:
        answer = (False, function(*args))
    except MemoryError:
        sender.close()  # the parent reads EOF: TooSlow
        return
    except Exception as error:  # handed to the parent, which raises it
        answer = (True, error)
    sender.send(answer)
    sender.close()
