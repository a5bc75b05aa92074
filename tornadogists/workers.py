"""CPU work that may not finish (Pygments on hostile input) in a child process killed past a time limit."""

import multiprocessing
import resource

# forkserver: each child forks from a small single-threaded server that has already imported
# the renderers (and the main script, so children skip importing it), so a child starts in
# ~15 ms and inherits none of the site's threads, sockets or locks.
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["__main__", "tornadogists.text.markdown", "tornadogists.services.gists"])


# A child's address space: far above what a 3 MB gist takes to highlight, far below what would
# hurt the machine. Past it an allocation fails and the child dies, which its caller sees as TooSlow
# (issue 22: a 16 KB comment the sanitiser grew to 14 MB took 400 MB to build).
CHILD_MEMORY_BYTES = 1024 * 1024 * 1024


class TooSlow(Exception):
    """The work did not finish within its time limit, or its process died (or ran out of memory)."""


def run_with_time_limit(seconds: float, function, *args):
    """function(*args) in a child process, killed past `seconds`. Blocks: call it in an executor."""
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
