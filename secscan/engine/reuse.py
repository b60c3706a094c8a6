"""Answer unchanged files from the cache and send only the rest to the workers, keeping input order.

The workers are fed lazily (a walk of 100,000 files is not stat'ed up front), so
which entries are known is discovered as the runner pulls work; each answer is
yielded in the place its entry had in the input, exactly as ``runner.run`` would.
A scan whose files are all known starts no worker at all.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator

from secscan.inputs.walk import WalkEntry
from secscan.model import FileResult

Known = Callable[[WalkEntry], list[FileResult] | None]
Run = Callable[[Iterable[WalkEntry]], Iterator[list[FileResult]]]


def run_known_first(entries: Iterable[WalkEntry], known: Known, run: Run) -> Iterator[list[FileResult]]:
    """Results of ``entries`` in input order: ``known(entry)`` where it has them, else ``run``'s."""
    # One slot per entry pulled so far: its known results, or None for "the runner's next answer".
    slots: deque[list[FileResult] | None] = deque()

    def unknown() -> Iterator[WalkEntry]:
        for entry in entries:
            results = known(entry)
            slots.append(results)
            if results is None:
                yield entry

    answers = run(unknown())
    while True:
        yield from _known_head(slots)
        if slots:  # a slot waiting for the runner: its answer is the runner's next
            slots.popleft()
            yield next(answers)
            continue
        answer = next(answers, None)  # pulls entries (and their slots) until one is not known
        yield from _known_head(slots)
        if answer is None:
            return
        slots.popleft()
        yield answer


def _known_head(slots: deque[list[FileResult] | None]) -> Iterator[list[FileResult]]:
    """Pop and yield the known results at the head of ``slots``, up to the first unknown one."""
    while slots and (head := slots[0]) is not None:
        slots.popleft()
        yield head
