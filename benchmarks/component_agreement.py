"""Agreement of :func:`wasmport.component.validate_component` with ``wasm-tools validate``.

Converts ``.wast`` scripts (files, or every ``.wast`` under a directory) into
binaries with ``wasm-tools json-from-wast``, and ``.wat`` files with ``wasm-tools
parse`` (one binary each; a ``.wat`` that does not parse is reported as not
converted), keeps the component binaries
(preamble ``\\0asm\\x0d\\x00\\x01\\x00``; the text-only ``assert_malformed``
cases that ``wasm-tools`` cannot turn into a binary are skipped) and validates
each with both ``wasm-tools validate`` (its default features) and wasmport
(default features)::

    python benchmarks/component_agreement.py [--list] [--jobs N] PATH ...

Prints how many binaries were compared and the totals: both agree, only
``wasm-tools`` accepts, only wasmport accepts, and wasmport failing with an
exception that is not a :class:`~wasmport.errors.WasmError` (an internal
error). ``--list`` adds every disagreement (file, line of the script, both
messages) and the most frequent messages among them, numbers and quoted names
folded together. ``--mutants N`` also compares, for every binary, N copies
with one or two random bytes changed (seeded, so a run can be repeated), and
totals them apart; ``--text-mutants N`` adds, for every binary wasm-tools
accepts, N variants made by editing its printed text (an index moved, a type
swapped, a name changed, a field dropped, two lines swapped) and parsing it
again, counted with the mutants. ``--reference-only`` runs ``wasm-tools``
alone (how many binaries a suite yields and how many it accepts).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Counter, Iterator, List, Optional, Sequence, Tuple

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from wasmport.errors import WasmError  # noqa: E402

COMPONENT_PREAMBLE = b"\0asm\x0d\x00\x01\x00"
#: The variable that lets ``wasm-tools`` read the legacy syntax of component indices.
LENIENT = "WAST_STRICT_COMPONENT_INDICES"

#: The verdicts of one binary.
ACCEPT = "accept"
REJECT = "reject"
INTERNAL = "internal error"

Validator = Callable[[bytes], object]


@dataclass(frozen=True)
class Binary:
    """One component binary of a script: where it came from and its bytes."""

    script: Path
    line: int
    command: str
    data: bytes
    mutant: bool = False


@dataclass(frozen=True)
class Outcome:
    """Both verdicts on one binary, with their messages."""

    binary: Binary
    reference: str
    reference_message: str
    ours: str
    our_message: str

    @property
    def agrees(self) -> bool:
        return self.reference == self.ours


@dataclass
class ScriptResult:
    """What one script gave: its outcomes, or why it could not be converted."""

    script: Path
    outcomes: List[Outcome] = field(default_factory=list)
    binaries: int = 0
    skipped_core: int = 0
    skipped_text: int = 0
    failure: str = ""


def wast_files(paths: Sequence[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(found for found in path.rglob("*")
                              if found.suffix in (".wast", ".wat") and found.is_file())
        elif path.is_file():
            yield path
        else:
            raise SystemExit(f"not found: {path}")


def convert(wasm_tools: str, script: Path, folder: Path) -> Tuple[List[Binary], ScriptResult]:
    """The component binaries of ``script`` (written into ``folder``)."""
    if script.suffix == ".wat":
        return convert_wat(wasm_tools, script, folder)
    result = ScriptResult(script)
    listing = folder / "commands.json"
    command = [wasm_tools, "json-from-wast", "--wasm-dir", str(folder), str(script),
               "-o", str(listing)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    if done.returncode != 0 and LENIENT in done.stderr:
        # A script written in the legacy index syntax (its RUN line sets the variable).
        done = subprocess.run(command, capture_output=True, text=True, check=False,
                              timeout=300, env={**os.environ, LENIENT: "0"})
    if done.returncode != 0:
        result.failure = first_line(done.stderr) or f"exit status {done.returncode}"
        return [], result
    binaries: List[Binary] = []
    for command in json.loads(listing.read_text())["commands"]:
        name = command.get("filename")
        if not isinstance(name, str):
            continue
        if not name.endswith(".wasm"):
            result.skipped_text += 1
            continue
        data = (folder / name).read_bytes()
        if data[:8] != COMPONENT_PREAMBLE:
            result.skipped_core += 1
            continue
        binaries.append(Binary(script, int(command.get("line", 0)), str(command["type"]), data))
    result.binaries = len(binaries)
    return binaries, result


def convert_wat(wasm_tools: str, source: Path, folder: Path
                ) -> Tuple[List[Binary], ScriptResult]:
    """The binary of a ``.wat`` file, if it is a component."""
    result = ScriptResult(source)
    output = folder / "module.wasm"
    done = subprocess.run([wasm_tools, "parse", str(source), "-o", str(output)],
                          capture_output=True, text=True, check=False, timeout=300)
    if done.returncode != 0:
        result.failure = first_line(done.stderr) or f"exit status {done.returncode}"
        return [], result
    data = output.read_bytes()
    if data[:8] != COMPONENT_PREAMBLE:
        result.skipped_core += 1
        return [], result
    result.binaries = 1
    return [Binary(source, 1, "module", data)], result


def first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else ""


def reference_verdict(wasm_tools: str, data: bytes) -> Tuple[str, str]:
    done = subprocess.run([wasm_tools, "validate", "-"], input=data, capture_output=True,
                          check=False, timeout=300)
    if done.returncode == 0:
        return ACCEPT, ""
    lines = [line.strip() for line in done.stderr.decode(errors="replace").splitlines()]
    # ``error: <message>`` and then the details, one a line.
    return REJECT, " / ".join(line for line in lines if line).removeprefix("error: ")


def our_verdict(validator: Validator, data: bytes) -> Tuple[str, str]:
    try:
        validator(data)
    except WasmError as error:
        return REJECT, str(error)
    except Exception as error:  # noqa: BLE001 -- any other exception is the finding itself
        return INTERNAL, f"{type(error).__name__}: {error}"
    return ACCEPT, ""


def load_validator() -> Validator:
    """wasmport's validator, imported only when it is needed."""
    try:
        from wasmport.component import validate_component
    except ImportError as error:
        raise SystemExit(f"wasmport.component.validate_component is not available: {error}"
                         " (use --reference-only)") from None

    def check(data: bytes) -> object:
        return validate_component(data)

    return check


@dataclass(frozen=True)
class Settings:
    """What every script is run with (picklable, for the worker processes)."""

    wasm_tools: str
    reference_only: bool = False
    mutants: int = 0
    seed: int = 0
    text_mutants: int = 0


def mutants(binary: Binary, settings: Settings) -> Iterator[Binary]:
    """``settings.mutants`` copies of a binary with one or two bytes after the
    preamble replaced (the same ones on every run with the same seed)."""
    generator = random.Random(f"{settings.seed}:{binary.script}:{binary.line}")
    for _ in range(settings.mutants if len(binary.data) > 8 else 0):
        data = bytearray(binary.data)
        for _ in range(generator.choice((1, 1, 2))):
            data[generator.randrange(8, len(data))] = generator.randrange(256)
        yield Binary(binary.script, binary.line, f"mutant of {binary.command}", bytes(data),
                     mutant=True)


#: Words the text mutations swap: primitive value types and core number types.
_PRIMITIVES = ("bool s8 u8 s16 u16 s32 u32 s64 u64 f32 f64 char string").split()
_CORE_TYPES = ("i32", "i64", "f32", "f64")
_TYPE_WORD = re.compile(r"\b(" + "|".join(_PRIMITIVES + ["i32", "i64"]) + r")\b")


def _mutate_line(line: str, generator: random.Random) -> str:
    """One edit of a line of printed text: a number moved by -1..2, a type
    swapped, a quoted name changed, or the line dropped (if it is a whole field)."""
    choice = generator.random()
    if choice < 0.35:
        numbers = list(re.finditer(r"\b\d+\b", line))
        if numbers:
            found = generator.choice(numbers)
            value = max(0, int(found.group()) + generator.choice((-1, 1, 2)))
            return line[:found.start()] + str(value) + line[found.end():]
    elif choice < 0.6:
        words = list(_TYPE_WORD.finditer(line))
        if words:
            found = generator.choice(words)
            pool = _CORE_TYPES if found.group() in _CORE_TYPES else _PRIMITIVES
            return line[:found.start()] + generator.choice(pool) + line[found.end():]
    elif choice < 0.8:
        names = list(re.finditer(r'"([^"]*)"', line))
        if names:
            found = generator.choice(names)
            name = found.group(1)
            changed = generator.choice((name + "x", name[:-1], name.upper(), "a",
                                        name.replace("-", "_"), "[method]" + name,
                                        name + "@1.0.0"))
            return line[:found.start()] + f'"{changed}"' + line[found.end():]
    elif line.strip().startswith("(") and line.count("(") == line.count(")"):
        return ""
    return line


def text_mutants(binary: Binary, settings: Settings) -> Iterator[Binary]:
    """``settings.text_mutants`` variants of a valid binary made by editing
    its printed text (one or two lines, or two lines swapped) and parsing it
    again; edits that do not parse are dropped."""
    generator = random.Random(f"text:{settings.seed}:{binary.script}:{binary.line}")
    printed = subprocess.run([settings.wasm_tools, "print"], input=binary.data,
                             capture_output=True, check=False, timeout=300)
    if settings.text_mutants <= 0 or printed.returncode != 0:
        return
    # Without the index comments, which edits would not change.
    lines = [re.sub(r" ?\(;\d+;\)", "", line) for line in printed.stdout.decode().splitlines()]
    for _ in range(settings.text_mutants):
        edited = list(lines)
        for _ in range(generator.choice((1, 1, 2))):
            i = generator.randrange(len(edited))
            if generator.random() < 0.15:
                j = generator.randrange(len(edited))
                edited[i], edited[j] = edited[j], edited[i]
            else:
                edited[i] = _mutate_line(edited[i], generator)
        parsed = subprocess.run([settings.wasm_tools, "parse"],
                                input="\n".join(edited).encode(), capture_output=True,
                                check=False, timeout=300)
        if parsed.returncode == 0:
            yield Binary(binary.script, binary.line, f"text mutant of {binary.command}",
                         parsed.stdout, mutant=True)


def run_script(task: Tuple[Settings, Path]) -> ScriptResult:
    """Converts and checks one script (also in a worker process)."""
    settings, script = task
    validator = None if settings.reference_only else load_validator()
    with tempfile.TemporaryDirectory(prefix="cm-agreement-") as folder:
        binaries, result = convert(settings.wasm_tools, script, Path(folder))
    for original in binaries:
        for binary in (original, *mutants(original, settings)):
            outcome = _compare(settings, validator, binary)
            result.outcomes.append(outcome)
            if binary is original and outcome.reference == ACCEPT:
                result.outcomes.extend(_compare(settings, validator, mutant)
                                       for mutant in text_mutants(original, settings))
    return result


def _compare(settings: Settings, validator: Optional[Validator], binary: Binary) -> Outcome:
    reference, reference_message = reference_verdict(settings.wasm_tools, binary.data)
    ours, our_message = ((reference, reference_message) if validator is None
                         else our_verdict(validator, binary.data))
    return Outcome(binary, reference, reference_message, ours, our_message)


def run_all(settings: Settings, scripts: List[Path], jobs: int) -> List[ScriptResult]:
    tasks = [(settings, script) for script in scripts]
    if jobs <= 1:
        return [run_script(task) for task in tasks]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(run_script, tasks))


def category(message: str) -> str:
    """The first line of a message, its numbers and quoted names folded, for grouping."""
    folded = re.sub(r"`[^`]*`|\"[^\"]*\"", "`_`", message.split(" / ")[0])
    folded = re.sub(r"\(at offset 0x[0-9a-f]+\)", "", folded)
    return re.sub(r"\b\d+\b|0x[0-9a-f]+", "N", folded).strip()


def print_totals(results: List[ScriptResult], reference_only: bool) -> None:
    print(f"scripts: {len(results)} ({sum(bool(r.failure) for r in results)} not converted)")
    for result in results:
        if result.failure:
            print(f"  not converted: {result.script}: {result.failure}")
    outcomes = [outcome for result in results for outcome in result.outcomes]
    originals = [outcome for outcome in outcomes if not outcome.binary.mutant]
    print(f"component binaries: {len(originals)} ({verdicts(originals)}); skipped: "
          f"{sum(r.skipped_text for r in results)} text-only,"
          f" {sum(r.skipped_core for r in results)} core modules")
    if not reference_only:
        print_counts(originals)
    changed = [outcome for outcome in outcomes if outcome.binary.mutant]
    if changed:
        print(f"mutants: {len(changed)} ({verdicts(changed)})")
        if not reference_only:
            print_counts(changed)


def verdicts(outcomes: List[Outcome]) -> str:
    accepted = sum(outcome.reference == ACCEPT for outcome in outcomes)
    return f"wasm-tools accepts {accepted}, rejects {len(outcomes) - accepted}"


def print_counts(outcomes: List[Outcome]) -> None:
    counts: Counter[str] = collections.Counter(kind(outcome) for outcome in outcomes)
    for label in ("agree", "wasm-tools accepts, wasmport rejects",
                  "wasm-tools rejects, wasmport accepts", "wasmport internal error"):
        print(f"  {label}: {counts[label]}")


def kind(outcome: Outcome) -> str:
    if outcome.ours == INTERNAL:
        return "wasmport internal error"
    if outcome.agrees:
        return "agree"
    if outcome.reference == ACCEPT:
        return "wasm-tools accepts, wasmport rejects"
    return "wasm-tools rejects, wasmport accepts"


def telling_message(outcome: Outcome) -> str:
    """wasmport's message for its internal errors and false rejections, else wasm-tools'."""
    if outcome.ours == INTERNAL or outcome.reference == ACCEPT:
        return outcome.our_message
    return outcome.reference_message


def print_disagreements(results: List[ScriptResult], top: int) -> None:
    wrong = [outcome for result in results for outcome in result.outcomes
             if kind(outcome) != "agree"]
    for outcome in wrong:
        binary = outcome.binary
        print(f"\n{binary.script}:{binary.line} ({binary.command}): {kind(outcome)}")
        print(f"  wasm-tools: {outcome.reference} {outcome.reference_message}".rstrip())
        print(f"  wasmport:   {outcome.ours} {outcome.our_message}".rstrip())
    groups: Counter[str] = collections.Counter(
        f"{kind(outcome)}: {category(telling_message(outcome))}"
        for outcome in wrong)
    if groups:
        print(f"\nmost frequent disagreements (top {top}):")
        for text, count in groups.most_common(top):
            print(f"  {count:4d}  {text}")


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description="Compare the verdicts of `wasm-tools validate` and wasmport's"
                    " validate_component on the component binaries of .wast scripts.")
    parser.add_argument("paths", nargs="+", type=Path, help=".wast or .wat files, or directories")
    parser.add_argument("--list", action="store_true", help="print every disagreement")
    parser.add_argument("--top", type=int, default=15,
                        help="how many disagreement categories --list prints (default 15)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--mutants", type=int, default=0,
                        help="also compare N copies of each binary with random bytes changed")
    parser.add_argument("--text-mutants", type=int, default=0,
                        help="also compare N edits of the printed text of each valid binary")
    parser.add_argument("--seed", type=int, default=0, help="seed of the mutants (default 0)")
    parser.add_argument("--reference-only", action="store_true",
                        help="run wasm-tools alone: count binaries and its verdicts")
    parser.add_argument("--wasm-tools", default=shutil.which("wasm-tools"),
                        help="the wasm-tools executable (default: from PATH)")
    args = parser.parse_args(argv)
    if not args.wasm_tools:
        parser.error("wasm-tools not found on PATH (give --wasm-tools)")
    if not args.reference_only:
        load_validator()
    scripts = list(wast_files(args.paths))
    settings = Settings(args.wasm_tools, args.reference_only, max(args.mutants, 0), args.seed,
                        max(args.text_mutants, 0))
    results = run_all(settings, scripts, args.jobs)
    print_totals(results, args.reference_only)
    if args.list and not args.reference_only:
        print_disagreements(results, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
