"""Article reading: files and JSON Lines into `Article` objects, bad inputs reported, never fatal.

Readers yield either an `Article` or an `InputProblem` (path, line, reason) so a batch can
report the problem and go on with everything else.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

# Stories larger than this are refused: no wire story is this long, and a parse of
# many megabytes would hold a worker for minutes and blow the memory budget.
MAX_STORY_CHARS = 1_000_000

TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")
HTML_SUFFIXES = (".html", ".htm")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + JSONL_SUFFIXES + HTML_SUFFIXES

# "MOSCOW --", "BEIRUT (AP) —", "WASHINGTON, D.C. -", "NAIROBI, Kenya (Reuters) -"
DATELINE_RE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'\- ]+[A-Z.](?:,\s+[A-Z][A-Za-z.']*(?: [A-Za-z.']+)*)?)"
    r"(?:\s*\((?P<agency>[A-Za-z ]+)\))?\s*(?:--|—|–|-|:)\s+")


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


def read_text_file(path: Path, default_date: str | None) -> Iterator[Article | InputProblem]:
    try:
        raw = path.read_bytes()
    except OSError as e:
        yield InputProblem(str(path), None, f"cannot read: {e.strerror or e}")
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


def article_from_json(obj, path: str, line: int, default_date: str | None) -> Article | InputProblem:
    if not isinstance(obj, dict):
        return InputProblem(path, line, "not a JSON object, skipped")
    if "id" not in obj or "text" not in obj:
        missing = [k for k in ("id", "text") if k not in obj]
        return InputProblem(path, line, f"missing {' and '.join(missing)}, skipped")
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
    return Article(id=str(obj["id"]), text=obj["text"], title=obj.get("title"),
                   date=_valid_date(obj.get("date")) or default_date, url=obj.get("url"),
                   source=obj.get("source"), path=path, line=line, meta={"format": "jsonl"})


def read_jsonl(path: Path, default_date: str | None) -> Iterator[Article | InputProblem]:
    opener = gzip.open if path.name.endswith(".gz") else open
    lineno = 0
    try:
        with opener(path, "rb") as fh:
            for lineno, raw in enumerate(fh, 1):
                if not raw.strip():
                    continue
                try:
                    obj = json.loads(raw.decode("utf-8"))
                except UnicodeDecodeError:
                    yield InputProblem(str(path), lineno, "not UTF-8, skipped")
                    continue
                except json.JSONDecodeError as e:
                    yield InputProblem(str(path), lineno, f"invalid JSON ({e.msg}), skipped")
                    continue
                yield article_from_json(obj, str(path), lineno, default_date)
    except (OSError, EOFError, gzip.BadGzipFile) as e:
        yield InputProblem(str(path), lineno + 1 if lineno else None,
                           f"unreadable ({type(e).__name__}: {e}), rest of file skipped")


def read_html(path: Path, default_date: str | None) -> Iterator[Article | InputProblem]:
    try:
        raw = path.read_bytes()
    except OSError as e:
        yield InputProblem(str(path), None, f"cannot read: {e.strerror or e}")
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
    """Files named, and supported files found recursively under folders named, in stable order."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                if f.is_file() and f.name.lower().endswith(SUPPORTED_SUFFIXES):
                    yield f
        elif path.exists():
            yield path
        else:
            yield InputProblem(str(path), None, "no such file or folder")


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
