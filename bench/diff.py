"""Time of the review page's Changes tab (editorial/review/changes.py), now and before.

    .venv/bin/python bench/diff.py [--repeat 5] [--cap 30] [--no-before] [--estimate]

Cases: the repetitive pair of issue 13 #2 (`" ".join(["a","b"]*1000) + " [1]"` against
`" ".join(["b","a","c"]*1000) + " [1]"`, and 800/1,200 words) as one section, a typical answer
(5 sections of about 2,000 characters, a few words edited) and the largest draft the API takes
(50 sections of 50,000 characters, 500 citations) edited throughout, rewritten, or repetitive.
"now" is `revision_diff` (changed sentences only, the tab's default) plus rendering `_diff.html`,
and the same with the whole text (`?diff=all`): the median of --repeat runs in this process (wall
and CPU time: on a busy machine the CPU time is the steadier figure). "before" runs the
`revision_diff` of an older commit in a subprocess, once, killed after --cap seconds of CPU time
(printed as "> cap s"): 55fde02 (the inline word diff of the Markdown, rapidfuzz) and 9161ce8
(difflib). No database: the revisions are stand-ins with the attributes the diff reads.
--estimate prints, for prose and dense Markdown, the measured cost of rendering and splitting a
50,000-character body against `changes.render_cost` (which must stay above it).
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

BEFORES = {"55fde02": "editorial/review/diff.py", "9161ce8": "editorial/diff.py"}
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
                number=n,
                title=t,
                year=y,
                authors="Smith J, Lee K",
                journal="Blood",
                pmid="",
                doi="",
                url="",
                short_reference=f"Smith {y}",
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


def _finding(words: int):
    old, new = adversarial(words)
    return "revision_diff", revision([old], citations(1, 1)), revision([new], citations(1, 1))


CASES = {
    # name -> builder of (function name, old revision, new revision)
    "finding: 2,000/3,000 words": lambda: _finding(2000),
    "finding: 800/1,200 words": lambda: _finding(800),
    "typical: 5 x 2,000 chars, 1% words edited": _typical,
    "largest: 50 x 50,000 chars, 1% words edited": lambda: _largest("edited"),
    "largest: 50 x 50,000 chars, rewritten": lambda: _largest("rewritten"),
    "largest: 50 x 50,000 chars, repetitive (a b / b a c)": _repetitive,
}


def _timed(module, case, whole=None) -> tuple[float, float]:
    """(wall, CPU) seconds of one diff; CPU time is what the diff used, whatever else the machine runs.

    With `whole` (now only): `changes.revision_diff` and the tab's template, as the page runs them.
    """
    function, old, new = case
    wall, cpu = time.perf_counter(), time.process_time()
    if whole is None:
        getattr(module, function)(old, new)
    else:
        from django.template.loader import render_to_string

        diff = module.revision_diff(old, new, whole=whole)
        answer = SimpleNamespace(live_revision=SimpleNamespace(number=1), pending_revision=SimpleNamespace(number=2))
        render_to_string("admin/editorial/answer/_diff.html", {"diff": diff, "answer": answer})
    return time.perf_counter() - wall, time.process_time() - cpu


def _before_one(path: str, name: str) -> None:
    """In the subprocess: time the older module at `path` on case `name`, print the seconds."""
    import django

    django.setup()
    spec = importlib.util.spec_from_file_location("diff_before", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    case = CASES[name]()
    gc.collect()
    gc.freeze()
    print(json.dumps(_timed(module, case)))


def before(commit: str, name: str, cap: float) -> str:
    """The figure of `commit` for case `name`, killed past `cap` seconds of CPU (not wall: a busy machine
    doesn't cut it short)."""
    source = subprocess.run(["git", "show", f"{commit}:{BEFORES[commit]}"], cwd=ROOT, capture_output=True, text=True)
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


ESTIMATED = {
    "prose": lambda: prose(50_000, 1),
    "brackets [": lambda: "[" * 50_000,
    "brackets [ (spaced)": lambda: "[ " * 25_000,
    "links [a](b)": lambda: "[a](b) " * 7_000,
    "emphasis *a": lambda: "*a " * 16_000,
    "underscores _a_": lambda: "_a_ " * 12_000,
    "strikethrough ~~a~~": lambda: "~~a~~ " * 8_000,
    "autolinks <http://a>": lambda: "<http://a> " * 5_000,
    "html <b>x</b>": lambda: "<b>x</b> " * 6_000,
    "lines a": lambda: "a\n" * 25_000,
    "paragraphs a.": lambda: "a.\n\n" * 16_000,
    "bullet list": lambda: "\n".join(f"- Item {i}." for i in range(6_000)),
    "numbered list": lambda: "1. a\n" * 10_000,
    "table rows": lambda: "| a | b |\n|---|---|\n" + "| x | y |\n" * 5_000,
    "headings": lambda: "### h\n" * 8_000,
    "setext headings": lambda: "a\n===\n" * 8_000,
    "quote lines": lambda: "> a\n" * 12_000,
    "entities": lambda: "&amp; " * 9_000,
    "markers [1]": lambda: "[1] " * 12_000,
}


def estimate() -> None:
    from answers import rendering
    from answers.sentences import reading_sentences
    from editorial.review.changes import render_cost

    print(f"{'50,000 characters of':30} {'measured':>10} {'estimate':>10} {'ratio':>6}")
    worst = 0.0
    for name, build in ESTIMATED.items():
        body = build()[:50_000]
        rendering._markdown_html.cache_clear()
        cpu = time.process_time()
        reading_sentences(body)
        measured = (time.process_time() - cpu) * 1e6
        worst = max(worst, measured / render_cost(body))
        cost = render_cost(body)
        print(f"{name:30} {measured / 1000:>7,.0f} ms {cost / 1000:>7,.0f} ms {measured / cost:>6.2f}")
    print(f"worst measured / estimate: {worst:.2f} (over 1 means the estimate is too low)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cap", type=float, default=30.0, help="CPU seconds an older commit may take per case")
    parser.add_argument("--no-before", action="store_true", help="skip the older commits' figures")
    parser.add_argument("--estimate", action="store_true", help="the rendering estimate against measurements")
    parser.add_argument("--before-one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.before_one:
        _before_one(*args.before_one)
        return

    import django

    django.setup()
    if args.estimate:
        estimate()
        return
    from editorial.review import changes, diff

    heads = [f"before {commit}" for commit in BEFORES]
    print(f"{'case':47} {'now: changes':>12} {'cpu':>8} {'whole text':>11} {'coarse':>7} {heads[0]:>20} {heads[1]:>20}")
    for name, build in CASES.items():
        case = build()
        gc.collect()
        gc.freeze()  # the case's text is not the page's garbage to scan (a web worker holds none of it)
        times = [_timed(changes, case, whole=False) for _ in range(args.repeat)]
        wall, cpu = statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)
        whole = statistics.median(_timed(changes, case, whole=True)[0] for _ in range(args.repeat))
        _function, old, new = case
        result = changes.revision_diff(old, new, budget=diff.Budget())
        coarse = f"{sum(s.coarse or not s.rendered for s in result.sections)}/{len(result.sections)}"
        then = ["skipped"] * 2 if args.no_before else [before(commit, name, args.cap) for commit in BEFORES]
        print(
            f"{name:47} {wall * 1000:>9,.0f} ms {cpu * 1000:>5,.0f} ms {whole * 1000:>8,.0f} ms {coarse:>7}"
            f" {then[0]:>20} {then[1]:>20}",
            flush=True,
        )
    print(
        f"now: median of {args.repeat}, the diff and its template (changed sentences; whole text: ?diff=all);"
        " coarse: sections compared as drafted or shown partly whole past the page's budget;"
        f" before: the older revision_diff alone, one run, killed after {args.cap:g} s of CPU"
    )


if __name__ == "__main__":
    main()
