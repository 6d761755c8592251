"""How long the emphasis pass takes on one long paragraph full of italic
markers (issue 19: it was quadratic). Prints CPU seconds per input size.

    PYTHONPATH=src python benchmarks/emphasis.py             # `*a ` x 2,000 .. 100,000
    PYTHONPATH=src python benchmarks/emphasis.py --limit 20  # give up on a size after 20 s

Each size is timed in a child process (so a slow one can be stopped) on the
story read and parsed as `storycast tag` would; only apply_emphasis is timed."""

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
import time
from pathlib import Path

SHAPES = {
    "stray": "*a ",  # openers that never close: the example
    "thoughts": "It fell. *Oh no.* ",  # every one a thought
    "emphasis": "a *very* big ",  # every one emphasis inside narration
}


def _time(shape: str, count: int, queue: multiprocessing.Queue) -> None:
    from storycast.model import Cast
    from storycast.text.attribute import attribute
    from storycast.text.emphasis import apply_emphasis
    from storycast.text.parse import parse
    from storycast.text.read import read

    with tempfile.TemporaryDirectory() as folder:
        story = Path(folder) / "story.txt"
        story.write_text("Title\n\n" + SHAPES[shape] * count + "\n", encoding="utf-8")
        document = read(story)
    script = attribute(parse(document), Cast())
    start = time.process_time()
    apply_emphasis(script, document)
    queue.put(time.process_time() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, default=60, help="seconds before giving up")
    parser.add_argument("--counts", type=int, nargs="*", default=[2000, 8000, 32000, 100000])
    args = parser.parse_args()
    for shape, piece in SHAPES.items():
        for count in args.counts:
            queue: multiprocessing.Queue = multiprocessing.Queue()
            child = multiprocessing.Process(target=_time, args=(shape, count, queue))
            child.start()
            child.join(args.limit)
            size = len(piece) * count / 1000
            if child.is_alive():
                child.kill()
                print(f"{shape:9} {count:7} x {piece!r:16} {size:6.0f} KB  > {args.limit:.0f} s")
            else:
                print(f"{shape:9} {count:7} x {piece!r:16} {size:6.0f} KB  {queue.get():7.2f} s")


if __name__ == "__main__":
    main()
