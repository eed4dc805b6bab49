"""Article reading: files and JSON Lines into `Article` objects, bad inputs reported, never fatal.

Readers yield either an `Article` or an `InputProblem` (path, line, reason) so a batch can
report the problem and go on with everything else.
"""
from __future__ import annotations

import errno
import gzip
import hashlib
import json
import os
import re
import stat
import zlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

# Stories larger than this are refused: no wire story is this long, and a parse of
# many megabytes would hold a worker for minutes and blow the memory budget.
MAX_STORY_CHARS = 1_000_000
# Files are checked against these before they are read, so a huge file, a device or a FIFO
# never gets into memory (or blocks): UTF-8 takes at most 4 bytes a character; HTML carries
# markup around its text; a JSONL line may escape every character as \uXXXX (6 bytes).
MAX_TEXT_FILE_BYTES = 4 * MAX_STORY_CHARS
MAX_HTML_FILE_BYTES = 16 * MAX_STORY_CHARS
MAX_JSONL_LINE_BYTES = 6 * MAX_STORY_CHARS + 64 * 1024
# A JSONL line is an article, not a data structure: deeper nesting or longer integers are an
# attack or a broken export (Python's parser would recurse or spend quadratic time on them).
MAX_JSON_DEPTH = 64
MAX_JSON_INT_DIGITS = 40
MAX_ID_CHARS = 512

TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")
HTML_SUFFIXES = (".html", ".htm")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + JSONL_SUFFIXES + HTML_SUFFIXES

# "MOSCOW --", "BEIRUT (AP) —", "WASHINGTON, D.C. -", "NAIROBI, Kenya (Reuters) -", and the
# old AP wire's "MOSCOW (AP)_ " (an underscore for the dash)
DATELINE_RE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'\- ]+[A-Z.](?:,\s+[A-Z][A-Za-z.']*(?: [A-Za-z.']+)*)?)"
    r"(?:\s*\((?P<agency>[A-Za-z ]+)\))?\s*(?:--|—|–|-|:|_)\s+")


@dataclass
class Article:
    id: str
    text: str
    title: str | None = None
    date: str | None = None          # ISO publication date
    url: str | None = None
    source: str | None = None        # outlet, when known
    path: str | None = None          # where it came from, for messages
    line: int | None = None
    meta: dict = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:32]

    def headline_span(self) -> tuple[int, int] | None:
        """For plain-text stories the first non-empty line is the headline (CONTRACT.md)."""
        if self.meta.get("format") != "txt":
            return None
        m = re.search(r"\S[^\n]*", self.text)
        return (m.start(), m.end()) if m else None

    def dateline_span(self) -> tuple[int, int, str] | None:
        """(start, end, place text) of a dateline opening the body, if any."""
        head = self.headline_span()
        offset = 0
        if head:
            offset = head[1]
        for m in re.finditer(r"[^\n]+", self.text[offset:offset + 4000]):
            line_start = offset + m.start()
            d = DATELINE_RE.match(m.group(0))
            if d:
                return (line_start + d.start("place"), line_start + d.end("place"), d.group("place"))
            return None  # only the first body line may carry the dateline
        return None


@dataclass
class InputProblem:
    path: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"


def _valid_date(value) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        return None


def _decode(raw: bytes, path: str) -> str | InputProblem:
    if b"\x00" in raw[:8192]:
        return InputProblem(path, None, "binary file (NUL bytes), skipped")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return InputProblem(path, None, f"not UTF-8 (byte {e.start}), skipped")
    return text.lstrip("\ufeff")


_FILE_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
               (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
               (stat.S_ISSOCK, "a socket"))


def _not_regular(mode: int) -> str | None:
    """What a non-regular file is ("a FIFO (named pipe)"), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in _FILE_KINDS if test(mode)), "not a regular file")


def _unreadable(path: Path) -> str | None:
    """Why `path` cannot be opened as a file (missing, link loop, permission...), or None."""
    try:
        os.stat(path)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "symbolic link loop, skipped"
        if e.errno == errno.ENOENT and os.path.islink(path):
            return f"broken symbolic link (to {os.readlink(path)}), skipped"
        return f"cannot read: {e.strerror or e}"
    return None


def check_file(path: Path, max_bytes: int | None) -> InputProblem | None:
    """Is `path` a regular file of at most `max_bytes`? Checked before a single byte is read,
    so /dev/zero, a FIFO nobody writes to or a 3 GB file are refused at once."""
    reason = _unreadable(path)
    if reason:
        return InputProblem(str(path), None, reason)
    st = os.stat(path)
    kind = _not_regular(st.st_mode)
    if kind:
        return InputProblem(str(path), None, f"{kind}, not a regular file, skipped")
    if max_bytes is not None and st.st_size > max_bytes:
        return InputProblem(str(path), None, f"file of {st.st_size:,} bytes is larger than the "
                                             f"{max_bytes:,} bytes a story may have, skipped")
    return None


def _read_capped(path: Path, max_bytes: int) -> bytes | InputProblem:
    """The file's bytes, never more than `max_bytes` (a file may grow after it was checked)."""
    problem = check_file(path, max_bytes)
    if problem:
        return problem
    try:
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as e:
        return InputProblem(str(path), None, f"cannot read: {e.strerror or e}")
    if len(raw) > max_bytes:
        return InputProblem(str(path), None, f"file is larger than the {max_bytes:,} bytes a story "
                                             f"may have, skipped")
    return raw


def read_text_file(path: Path, default_date: str | None) -> Iterator[Article | InputProblem]:
    raw = _read_capped(path, MAX_TEXT_FILE_BYTES)
    if isinstance(raw, InputProblem):
        yield raw
        return
    text = _decode(raw, str(path))
    if isinstance(text, InputProblem):
        yield text
        return
    if not text.strip():
        yield InputProblem(str(path), None, "empty story, skipped")
        return
    if len(text) > MAX_STORY_CHARS:
        yield InputProblem(str(path), None, f"story longer than {MAX_STORY_CHARS} characters, skipped")
        return
    title_match = re.search(r"\S[^\n]*", text)
    yield Article(id=path.stem, text=text, title=title_match.group(0).strip() if title_match else None,
                  date=default_date, path=str(path), meta={"format": "txt"})


_JSON_TYPES = {type(None): "null", bool: "true/false", int: "a number", float: "a number",
               list: "an array", dict: "an object"}


def _id_problem(value) -> str | None:
    """Why a JSONL `id` is unusable. Ids must be strings: turning numbers or null into text
    would make `1` and `"1"` (or every `null`) the same article."""
    if not isinstance(value, str):
        kind = _JSON_TYPES.get(type(value), type(value).__name__)
        hint = f" (quote it: \"{value}\")" if kind == "a number" else ""
        return f"'id' is {kind}, not a string{hint}, skipped"
    if not value.strip():
        return "empty 'id', skipped"
    if len(value) > MAX_ID_CHARS:
        return f"'id' longer than {MAX_ID_CHARS} characters, skipped"
    return None


def article_from_json(obj, path: str, line: int, default_date: str | None) -> Article | InputProblem:
    if not isinstance(obj, dict):
        return InputProblem(path, line, "not a JSON object, skipped")
    if "id" not in obj or "text" not in obj:
        missing = [k for k in ("id", "text") if k not in obj]
        return InputProblem(path, line, f"missing {' and '.join(missing)}, skipped")
    bad_id = _id_problem(obj["id"])
    if bad_id:
        return InputProblem(path, line, bad_id)
    if not isinstance(obj["text"], str):
        return InputProblem(path, line, "'text' is not a string, skipped")
    if len(obj["text"]) > MAX_STORY_CHARS:
        return InputProblem(path, line, f"story longer than {MAX_STORY_CHARS} characters, skipped")
    if not obj["text"].strip():
        return InputProblem(path, line, "empty text, skipped")
    try:
        obj["text"].encode("utf-8")
    except UnicodeEncodeError:
        return InputProblem(path, line, "text holds an invalid Unicode escape (lone surrogate), skipped")
    return Article(id=obj["id"], text=obj["text"], title=_optional_text(obj, "title"),
                   date=_valid_date(obj.get("date")) or default_date, url=_optional_text(obj, "url"),
                   source=_optional_text(obj, "source"), path=path, line=line, meta={"format": "jsonl"})


def _optional_text(obj: dict, key: str) -> str | None:
    """An optional field the story can do without (title, url, source): a string, else left
    out, as an unreadable date is; the story itself is still coded."""
    value = obj.get(key)
    return value if isinstance(value, str) else None


class _JsonLimit(ValueError):
    """A JSONL line beyond the nesting or number limits."""


# a JSON string, so brackets inside strings do not count as nesting (unrolled: no backtracking)
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def _check_depth(raw: bytes) -> None:
    if raw.count(b"[") + raw.count(b"{") <= MAX_JSON_DEPTH:   # cheap: most lines stop here
        return
    depth = 0
    for b in _JSON_STRING.sub(b'""', raw).translate(None, _NOT_BRACKETS):
        depth += 1 if b in b"[{" else -1
        if depth > MAX_JSON_DEPTH:
            raise _JsonLimit(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")


def _bounded_int(digits: str) -> int:
    if len(digits) - digits.startswith("-") > MAX_JSON_INT_DIGITS:
        raise _JsonLimit(f"JSON holds an integer of more than {MAX_JSON_INT_DIGITS} digits")
    return int(digits)


def parse_json_line(raw: bytes):
    """One JSONL line, parsed within the depth and number limits. Raises ValueError (with a
    reason fit for a message) or UnicodeDecodeError."""
    _check_depth(raw)
    text = raw.decode("utf-8")
    try:
        return json.loads(text, parse_int=_bounded_int)
    except _JsonLimit:
        raise
    except json.JSONDecodeError as e:
        raise ValueError(f"invalid JSON ({e.msg})") from e
    except (RecursionError, ValueError) as e:   # defence in depth: never a traceback
        raise ValueError(f"invalid JSON ({type(e).__name__})") from e


def _bounded_lines(fh, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) from a binary file; None for a line longer than `limit` bytes,
    which is skipped without ever being held in memory whole."""
    lineno = 0
    while True:
        raw = fh.readline(limit + 1)
        if not raw:
            return
        lineno += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            while True:
                rest = fh.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield lineno, None
            continue
        yield lineno, raw


def read_jsonl(path: Path, default_date: str | None) -> Iterator[Article | InputProblem]:
    problem = check_file(path, None)      # a JSONL file is read line by line: no size cap
    if problem:
        yield problem
        return
    opener = gzip.open if path.name.endswith(".gz") else open
    lineno = 0
    try:
        with opener(path, "rb") as fh:
            for lineno, raw in _bounded_lines(fh, MAX_JSONL_LINE_BYTES):
                if raw is None:
                    yield InputProblem(str(path), lineno, f"line longer than {MAX_JSONL_LINE_BYTES:,} "
                                                          f"bytes, skipped")
                    continue
                if not raw.strip():
                    continue
                try:
                    obj = parse_json_line(raw)
                except UnicodeDecodeError:
                    yield InputProblem(str(path), lineno, "not UTF-8, skipped")
                    continue
                except ValueError as e:
                    yield InputProblem(str(path), lineno, f"{e}, skipped")
                    continue
                yield article_from_json(obj, str(path), lineno, default_date)
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as e:
        yield InputProblem(str(path), lineno + 1 if lineno else None,
                           f"unreadable ({type(e).__name__}: {e}), rest of file skipped")


def read_html(path: Path, default_date: str | None) -> Iterator[Article | InputProblem]:
    raw = _read_capped(path, MAX_HTML_FILE_BYTES)
    if isinstance(raw, InputProblem):
        yield raw
        return
    if b"\x00" in raw[:8192]:
        yield InputProblem(str(path), None, "binary file (NUL bytes), skipped")
        return
    import trafilatura  # heavy import, only when HTML is read

    html = raw.decode("utf-8", errors="replace")
    text = trafilatura.extract(html, include_comments=False, include_tables=False)
    if not text or not text.strip():
        yield InputProblem(str(path), None, "no article text found in HTML, skipped")
        return
    meta = trafilatura.extract_metadata(html)
    title = getattr(meta, "title", None) if meta else None
    pub = _valid_date(getattr(meta, "date", None)) if meta else None
    url = getattr(meta, "url", None) if meta else None
    source = getattr(meta, "sitename", None) if meta else None
    body = f"{title}\n\n{text}" if title else text
    yield Article(id=path.stem, text=body, title=title, date=pub or default_date, url=url,
                  source=source, path=str(path), meta={"format": "txt"})


def load_folder_dates(folder: Path, problems: list) -> dict[str, str]:
    f = folder / "dates.json"
    if not f.is_file():
        return {}
    try:
        data = json.loads(f.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        problems.append(InputProblem(str(f), None, f"cannot read publication dates ({e}), ignored"))
        return {}
    if not isinstance(data, dict):
        problems.append(InputProblem(str(f), None, "not a JSON object {file name: date}, ignored"))
        return {}
    out = {}
    for name, value in data.items():
        d = _valid_date(value) if isinstance(value, str) else None
        if d is None:
            problems.append(InputProblem(str(f), None, f"{name!r}: {value!r} is not a date YYYY-MM-DD, ignored"))
            continue
        out[str(name)] = d
    return out


class FolderDates:
    """Publication dates from a `dates.json` ({"story.txt": "2015-11-24", ...}) in a story's folder.

    Applies to the .txt/.html files of that folder (keys: file name, or name without extension)
    and wins over --date and over a date found in HTML metadata.
    """

    def __init__(self) -> None:
        self._cache: dict[Path, dict[str, str]] = {}
        self.problems: list[InputProblem] = []

    def date_for(self, path: str | None) -> str | None:
        if not path or path.lower().endswith(JSONL_SUFFIXES):
            return None
        p = Path(path)
        folder = p.parent
        if folder not in self._cache:
            self._cache[folder] = load_folder_dates(folder, self.problems)
        dates = self._cache[folder]
        return dates.get(p.name) or dates.get(p.stem)

    def apply(self, article: Article) -> Article:
        d = self.date_for(article.path)
        if d:
            article.date = d
        return article


def iter_input_files(paths: Iterable[str | os.PathLike]) -> Iterator[Path | InputProblem]:
    """Files named, and supported files found recursively under folders named, in stable order
    (sorted by path). Everything in a folder that cannot be read as a story file is named:
    symbolic link loops, broken links, FIFOs, devices, sockets, folders that cannot be listed.
    Regular files of other kinds (dates.json, README.md) are passed over quietly."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            yield from _walk(path, ancestors=(), seen={})
        elif os.path.lexists(path):
            yield path              # its type and size are checked when it is read
        else:
            yield InputProblem(str(path), None, "no such file or folder")


def _walk(folder: Path, ancestors: tuple, seen: dict) -> Iterator[Path | InputProblem]:
    """Depth first, entries sorted by name (= the order of sorting full paths). Folders
    reached through symbolic links are followed once: a link back to an ancestor is a loop,
    a second link to a folder already read would read its stories twice."""
    st = os.stat(folder)
    key = (st.st_dev, st.st_ino)
    if key in ancestors:
        yield InputProblem(str(folder), None, "symbolic link loop (leads back to a folder above it), skipped")
        return
    if key in seen:
        yield InputProblem(str(folder), None, f"same folder as {seen[key]}, already read, skipped")
        return
    seen[key] = str(folder)
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as e:
        yield InputProblem(str(folder), None, f"cannot list folder: {e.strerror or e}, skipped")
        return
    for entry in entries:
        path = Path(entry.path)
        reason = _unreadable(path)
        if reason:
            yield InputProblem(str(path), None, reason)
            continue
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            yield from _walk(path, ancestors + (key,), seen)
        elif stat.S_ISREG(mode):
            if entry.name.lower().endswith(SUPPORTED_SUFFIXES):
                yield path
        else:
            yield InputProblem(str(path), None, f"{_not_regular(mode)}, not a regular file, skipped")


def read_articles(paths: Iterable[str | os.PathLike], default_date: str | None = None
                  ) -> Iterator[Article | InputProblem]:
    """Every article from every input, in input order; problems are yielded, not raised."""
    for f in iter_input_files(paths):
        if isinstance(f, InputProblem):
            yield f
            continue
        name = f.name.lower()
        if name.endswith(JSONL_SUFFIXES):
            yield from read_jsonl(f, default_date)
        elif name.endswith(HTML_SUFFIXES):
            yield from read_html(f, default_date)
        else:
            yield from read_text_file(f, default_date)


class RunChecks:
    """Checks across the articles of one run, for the commands that print what they code.

    - an article id read twice is reported and the later article skipped: its records
      would otherwise carry the same ids as the first one's;
    - an article with no publication date is reported (once per file): relative dates in it
      ("on Tuesday") are then resolved against today, which is rarely what was meant.
    """

    def __init__(self, today: date | None = None) -> None:
        self.first_seen: dict[str, str] = {}
        self.undated_files: set[str] = set()
        self.today = today or date.today()

    def duplicate(self, article: Article) -> InputProblem | None:
        where = _where(article)
        earlier = self.first_seen.setdefault(article.id, where)
        if earlier is where:
            return None
        return InputProblem(article.path or article.id, article.line,
                            f"article id {article.id!r} already read from {earlier}, skipped")

    def undated(self, article: Article) -> InputProblem | None:
        if article.date:
            return None
        source = article.path or article.id
        if source in self.undated_files:
            return None
        self.undated_files.add(source)
        more = " (and maybe more in this file)" if article.line is not None else ""
        return InputProblem(source, article.line,
                            f"warning: no publication date for article {article.id!r}{more}; relative "
                            f"dates are resolved against today ({self.today.isoformat()}): give --date, "
                            f"a 'date' field or a dates.json")


def _where(article: Article) -> str:
    where = article.path or article.id
    return f"{where}:{article.line}" if article.line is not None else where


def read_checked(paths: Iterable[str | os.PathLike], default_date: str | None = None,
                 checks: RunChecks | None = None) -> Iterator[Article | InputProblem]:
    """`read_articles`, with each folder's dates.json applied and the run's checks made:
    duplicate ids are problems (the article is skipped), undated articles are warnings (the
    article is still yielded, after its warning)."""
    checks = checks or RunChecks()
    dates = FolderDates()
    for item in read_articles(paths, default_date):
        yield from dates.problems
        dates.problems.clear()
        if isinstance(item, InputProblem):
            yield item
            continue
        article = dates.apply(item)
        problem = checks.duplicate(article)
        if problem:
            yield problem
            continue
        warning = checks.undated(article)
        if warning:
            yield warning
        yield article
    yield from dates.problems
