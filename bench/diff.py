"""Render time of the review page's diff (editorial/diff.py), now and at 9161ce8 (difflib).

    .venv/bin/python bench/diff.py [--repeat 5] [--cap 30] [--no-before]

Cases: the repetitive pair of issue 13 #2 (2,000/3,000 and 800/1,200 words,
`word_diff`), a typical answer (5 sections of about 2,000 characters, a few
words edited) and the largest draft the API takes (50 sections of 50,000
characters, 500 citations; `revision_diff`) edited throughout, rewritten, or
repetitive. "now" is the median of --repeat runs in this process (wall and
CPU time: on a busy machine the CPU time is the steadier figure). "before"
runs `git show 9161ce8:editorial/diff.py` in a subprocess, once, killed after
--cap seconds of CPU time (printed as "> cap s"). No database: the revisions are stand-ins
with the attributes the diff reads.
"""

import argparse
import gc
import importlib.util
import json
import os
import random
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

BEFORE = "9161ce8"
VOCABULARY = (
    "the of and in with to a for patients was were is or by than at on as dose mg daily weeks months "
    "therapy treatment trial randomized phase survival overall remission response rate median hazard "
    "ratio confidence interval inotuzumab ozogamicin blinatumomab chemotherapy induction consolidation "
    "maintenance relapsed refractory acute lymphoblastic leukemia adults children toxicity hepatotoxicity "
    "veno-occlusive disease transplant allogeneic minimal residual negative positive cohort guideline "
    "recommendation evidence grade adverse events neutropenia thrombocytopenia infection febrile "
    "observed reported compared versus significantly improved reduced increased associated risk benefit"
).split()


def prose(chars: int, seed: int) -> str:
    """Paragraphs of sentences drawn from VOCABULARY (frequent words first), with citation markers."""
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(VOCABULARY))]
    paragraphs, size = [], 0
    while size < chars:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            words = rng.choices(VOCABULARY, weights, k=rng.randint(8, 28))
            marker = f" [{rng.randint(1, 40)}]" if rng.random() < 0.3 else ""
            sentences.append(" ".join(words).capitalize() + marker + ".")
        paragraphs.append(" ".join(sentences))
        size += len(paragraphs[-1]) + 2
    return "\n\n".join(paragraphs)[:chars]


def edited(text: str, seed: int, rate: float) -> str:
    """`text` with about `rate` of its words replaced, deleted or followed by a new one."""
    rng = random.Random(seed)
    out = []
    for word in text.split(" "):
        roll = rng.random()
        if roll < rate / 3:
            continue
        out.append(rng.choice(VOCABULARY) if roll < 2 * rate / 3 else word)
        if 2 * rate / 3 <= roll < rate:
            out.append(rng.choice(VOCABULARY))
    return " ".join(out)


class _Related(list):
    def all(self):
        return self


def revision(bodies: list[str], citations: list[tuple[int, str, int]]):
    return SimpleNamespace(
        sections=_Related(SimpleNamespace(heading=f"Section {n}", body=body) for n, body in enumerate(bodies)),
        citations=_Related(
            SimpleNamespace(
                number=n, title=t, year=y, authors="Smith J, Lee K", journal="Blood", pmid="", doi="", url=""
            )
            for n, t, y in citations
        ),
    )


def citations(count: int, seed: int, changed: int = 0):
    rng = random.Random(seed)
    items = [(n, " ".join(rng.choices(VOCABULARY, k=12)).capitalize(), 2000 + n % 25) for n in range(1, count + 1)]
    for n in rng.sample(range(count), changed):
        items[n] = (items[n][0], items[n][1] + " (update)", items[n][2] + 1)
    return items


def adversarial(words: int) -> tuple[str, str]:
    """Issue 13 #2's pair: `words` words of "a b ..." against 1.5 times as many of "b a c ...", each + " [1]"."""
    return " ".join(["a", "b"] * (words // 2)) + " [1]", " ".join(["b", "a", "c"] * (words // 2)) + " [1]"


def _typical():
    bodies = [prose(2000, n) for n in range(5)]
    return (
        "revision_diff",
        revision(bodies, citations(20, 1)),
        revision([edited(b, n, 0.01) for n, b in enumerate(bodies)], citations(20, 1, changed=2)),
    )


def _largest(kind: str):
    bodies = [prose(50_000, n) for n in range(50)]
    if kind == "edited":
        new = revision([edited(b, n, 0.01)[:50_000] for n, b in enumerate(bodies)], citations(500, 1, changed=50))
    else:
        new = revision([prose(50_000, 1000 + n) for n in range(50)], citations(500, 2))
    return "revision_diff", revision(bodies, citations(500, 1)), new


def _repetitive():
    old, new = (" ".join(["a", "b"] * 12_500))[:50_000], (" ".join(["b", "a", "c"] * 8_400))[:50_000]
    return "revision_diff", revision([old] * 50, citations(500, 1)), revision([new] * 50, citations(500, 1))


CASES = {
    # name -> builder of (function name, old, new): word_diff on texts, revision_diff on revisions
    "finding: 2,000/3,000 words (word_diff)": lambda: ("word_diff", *adversarial(2000)),
    "finding: 800/1,200 words (word_diff)": lambda: ("word_diff", *adversarial(800)),
    "typical: 5 x 2,000 chars, 1% words edited": _typical,
    "largest: 50 x 50,000 chars, 1% words edited": lambda: _largest("edited"),
    "largest: 50 x 50,000 chars, rewritten": lambda: _largest("rewritten"),
    "largest: 50 x 50,000 chars, repetitive (a b / b a c)": _repetitive,
}


def _timed(module, case) -> tuple[float, float]:
    """(wall, CPU) seconds of one diff; CPU time is what the diff used, whatever else the machine runs."""
    function, old, new = case
    wall, cpu = time.perf_counter(), time.process_time()
    getattr(module, function)(old, new)
    return time.perf_counter() - wall, time.process_time() - cpu


def _before_one(path: str, name: str) -> None:
    """In the subprocess: time the 9161ce8 module at `path` on case `name`, print the seconds."""
    import django

    django.setup()
    spec = importlib.util.spec_from_file_location("diff_before", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    case = CASES[name]()
    gc.collect()
    gc.freeze()
    print(json.dumps(_timed(module, case)))


def before(name: str, cap: float) -> str:
    """The 9161ce8 figure for case `name`, killed past `cap` seconds of CPU (so a busy machine doesn't cut it short)."""
    source = subprocess.run(["git", "show", f"{BEFORE}:editorial/diff.py"], cwd=ROOT, capture_output=True, text=True)
    if source.returncode != 0:
        return "n/a (no git history)"
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(source.stdout)
    limit = int(cap) + 5  # building the case takes a few seconds of it

    def cpu_limit():
        resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 1))

    try:
        run = subprocess.run(
            [sys.executable, __file__, "--before-one", handle.name, name],
            capture_output=True,
            text=True,
            timeout=cap * 20,
            preexec_fn=cpu_limit,
        )
    except subprocess.TimeoutExpired:
        return f"> {cap * 20:g} s wall (capped)"
    finally:
        os.unlink(handle.name)
    if run.returncode == -signal.SIGXCPU:
        return f"> {cap:g} s (capped)"
    if run.returncode != 0:
        return "error: " + run.stderr[-200:]
    wall, cpu = json.loads(run.stdout)
    return f"{wall * 1000:,.0f} ms (cpu {cpu * 1000:,.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cap", type=float, default=30.0, help="CPU seconds the 9161ce8 code may take per case")
    parser.add_argument("--no-before", action="store_true", help="skip the 9161ce8 figures")
    parser.add_argument("--before-one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.before_one:
        _before_one(*args.before_one)
        return

    import django

    django.setup()
    from editorial.review import diff

    print(f"{'case':55} {'now: wall':>10} {'cpu':>8} {'coarse':>7} {'before (' + BEFORE + ')':>26}")
    for name, build in CASES.items():
        case = build()
        gc.collect()
        gc.freeze()  # the case's text is not the page's garbage to scan (a web worker holds none of it)
        times = [_timed(diff, case) for _ in range(args.repeat)]
        wall, cpu = statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)
        function, old, new = case
        if function == "revision_diff":
            budget = diff.Budget()
            coarse = f"{sum(d.coarse for d in diff.revision_diff(old, new, budget=budget))}/{len(old.sections) + 1}"
        else:
            coarse = "-"
        then = "skipped" if args.no_before else before(name, args.cap)
        print(f"{name:55} {wall * 1000:>7,.0f} ms {cpu * 1000:>5,.0f} ms {coarse:>7} {then:>26}", flush=True)
    print(
        f"now: median of {args.repeat}; coarse: sections (of sections + references) shown partly whole past the"
        f" page's budget; before: one run, killed after {args.cap:g} s of CPU"
    )


if __name__ == "__main__":
    main()
