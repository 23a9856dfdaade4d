"""Read a resume file (.txt, .md, .pdf, .docx) into plain text.

Every failure caused by the input (missing file, wrong format, encrypted or
corrupt document, nothing to extract) becomes a :class:`ResumeError` whose
message names the file; callers never see a library traceback.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
import zipfile
from pathlib import Path

from talentsync_tui.models import clean_text
from talentsync_tui.resume.errors import ResumeError

MAX_BYTES = 10 * 1024 * 1024
"""Largest resume file accepted (10 MB)."""

SUPPORTED_EXTENSIONS: tuple[str, ...] = (".txt", ".md", ".pdf", ".docx")

_TEXT_EXTENSIONS = {".txt", ".md"}
_BLANK_RUN_RE = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_TRAILING_SPACE_RE = re.compile(r"[ \t]+\n")


def read_resume(path: Path | str) -> str:
    """Return the text of the resume at ``path``.

    Raises:
        ResumeError: the file is missing, too large, not a supported format,
            encrypted, corrupt, or contains no extractable text.
    """
    path = Path(path).expanduser()
    name = path.name or str(path)
    try:
        exists = path.exists()
        is_file = path.is_file()
    except OSError as exc:  # e.g. a name that is too long for the OS
        raise ResumeError(f"Could not access the resume '{path}': {_reason(exc)}.", path) from None
    if not exists:
        raise ResumeError(f"Resume file not found: '{path}'.", path)
    if not is_file:
        raise ResumeError(f"The path '{path}' is not a file; please choose a resume document.", path)

    extension = path.suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        shown = f"'{extension}'" if extension else "no extension"
        raise ResumeError(
            f"Cannot read '{name}': {shown} is not a supported resume format "
            f"(supported: {', '.join(SUPPORTED_EXTENSIONS)}).",
            path,
        )

    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ResumeError(f"Could not read '{name}': {_reason(exc)}.", path) from None
    if size > MAX_BYTES:
        raise ResumeError(
            f"The resume '{name}' is {size / (1024 * 1024):.1f} MB; resumes must be at most "
            f"{MAX_BYTES // (1024 * 1024)} MB.",
            path,
        )
    if size == 0:
        raise ResumeError(f"The resume '{name}' is empty; there is no resume text to read.", path)

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ResumeError(f"Could not read '{name}': {_reason(exc)}.", path) from None
    if len(data) > MAX_BYTES:  # the file grew between stat() and read()
        raise ResumeError(
            f"The resume '{name}' is larger than {MAX_BYTES // (1024 * 1024)} MB; resumes must be smaller.",
            path,
        )

    kind = _sniff(data)
    expected = {".pdf": {"a PDF"}, ".docx": {"a Word document or zip", "an old Office document (.doc)"}}
    if extension in expected and kind is not None and kind != "a binary file" \
            and kind not in expected[extension]:
        # by the bytes, not the name: a program or an image renamed resume.pdf is named for what it is
        raise ResumeError(f"The resume '{name}' is {kind}, not a {extension[1:].upper()} document; "
                          "choose the resume itself (.txt, .md, .pdf or .docx).", path)
    if extension in _TEXT_EXTENSIONS and kind is not None:
        hint = {"a PDF": " Rename it to .pdf.", "a Word document or zip": " Rename it to .docx if it "
                "is a Word document."}.get(kind, "")
        raise ResumeError(f"The resume '{name}' is {kind}, not text; save the resume as .txt, .md, "
                          f".pdf or .docx.{hint}", path)

    if extension in _TEXT_EXTENSIONS:
        raw = _decode_text(data)
    elif extension == ".pdf":
        raw = _read_pdf(data, path)
    else:
        raw = _read_docx(data, path)

    text = _tidy(clean_text(raw))
    if not text:
        if extension == ".pdf":
            raise ResumeError(
                f"No text could be extracted from '{name}'; it may be a scanned image. "
                "Please export a text-based PDF, or save the resume as .docx or .txt.",
                path,
            )
        raise ResumeError(f"The resume '{name}' contains no readable text.", path)
    return text


_MAGIC = (
    (b"\x7fELF", "a program (ELF executable)"), (b"MZ", "a Windows program"),
    (b"%PDF", "a PDF"), (b"PK\x03\x04", "a Word document or zip"),
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"), (b"\xca\xfe\xba\xbe", "a program"),
    (b"\xcf\xfa\xed\xfe", "a program (Mach-O)"), (b"SQLite format 3\x00", "a database"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc)"), (b"{\\rtf", "an RTF document"),
)


def _sniff(data: bytes) -> str | None:
    """What the content is when it is not plain text (by magic bytes and control characters)."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            if magic == b"MZ" and b"\x00" not in data[:512]:
                continue  # a text that happens to start with "MZ"
            return kind
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 text
    head = data[:65536]
    if b"\x00" in head:
        return "a binary file"
    controls = sum(1 for byte in head if byte < 32 and byte not in b"\t\n\r\f\v\x1b")
    return "a binary file" if head and controls / len(head) > 0.05 else None


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc) or type(exc).__name__).rstrip(".").lower()


def _tidy(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    text = _TRAILING_SPACE_RE.sub("\n", text)
    return _BLANK_RUN_RE.sub("\n\n", text).strip()


def _decode_text(data: bytes) -> str:
    for bom, encoding in ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


# --------------------------------------------------------------------- PDF


def _read_pdf(data: bytes, path: Path) -> str:
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    name = path.name
    corrupt = ResumeError(
        f"The resume '{name}' is not a valid PDF or is damaged; try re-exporting it from your editor.",
        path,
    )
    encrypted = ResumeError(
        f"The resume '{name}' is password-protected; please remove the password (or export an "
        "unprotected copy) and try again.",
        path,
    )
    if b"%PDF" not in data[:1024]:
        raise corrupt

    logger = logging.getLogger("pypdf")
    previous_level = logger.level
    logger.setLevel(logging.ERROR)  # pypdf logs recoverable damage as warnings
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            except (FileNotDecryptedError, DependencyError):
                raise encrypted from None
            except (PyPdfError, ValueError, KeyError, TypeError, AttributeError,
                    IndexError, AssertionError, RecursionError, OSError, EOFError):
                raise corrupt from None

            if reader.is_encrypted:
                try:
                    # Many PDFs only carry an owner password (copy/print limits);
                    # those open with an empty user password.
                    unlocked = reader.decrypt("")
                except (DependencyError, NotImplementedError, PyPdfError, ValueError, KeyError,
                        TypeError):
                    raise encrypted from None
                if not unlocked:
                    raise encrypted

            try:
                pages = list(reader.pages)
            except FileNotDecryptedError:
                raise encrypted from None
            except Exception:  # noqa: BLE001 - any failure walking the page tree is damage
                raise corrupt from None

            parts: list[str] = []
            failures = 0
            for page in pages:
                try:
                    parts.append(page.extract_text() or "")
                except FileNotDecryptedError:
                    raise encrypted from None
                except Exception:  # noqa: BLE001 - one bad page must not lose the rest
                    failures += 1
            if pages and failures == len(pages):
                raise corrupt
            return "\n".join(parts)
    finally:
        logger.setLevel(previous_level)


# -------------------------------------------------------------------- DOCX


def _is_list_item(paragraph) -> bool:
    """A Word list paragraph (numbering properties, or a "List ..." style), drawn with a bullet."""
    try:
        properties = paragraph._p.pPr
        if properties is not None and properties.numPr is not None:
            return True
        style = paragraph.style
        return bool(style is not None and (style.name or "").lower().startswith("list"))
    except Exception:  # noqa: BLE001 - odd styles must not stop the reading
        return False


def _read_docx(data: bytes, path: Path) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    name = path.name
    corrupt = ResumeError(
        f"The resume '{name}' is not a valid Word (.docx) document or is damaged; try saving it "
        "again from your editor.",
        path,
    )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            # OLE container: an old .doc renamed, or an encrypted .docx.
            raise ResumeError(
                f"The resume '{name}' is password-protected or in the old .doc format; please save it "
                "as an unprotected .docx (or export a PDF) and try again.",
                path,
            )
        raise corrupt

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - zip/XML/package errors of every kind mean damage
        raise corrupt from None

    lines: list[str] = []

    def walk(container, depth: int = 0) -> None:
        if depth > 8:
            return
        for block in container.iter_inner_content():
            if isinstance(block, Paragraph):
                text = block.text
                if text.strip() and _is_list_item(block):
                    text = "\u2022 " + text.lstrip()  # keep Word's bullets: they mark achievements
                lines.append(text)
            elif isinstance(block, Table):
                walk_table(block, depth + 1)

    def walk_table(table, depth: int) -> None:
        for row in table.rows:
            cells: list[str] = []
            seen: set[int] = set()
            for cell in row.cells:
                if id(cell._tc) in seen:  # merged cells repeat the same element
                    continue
                seen.add(id(cell._tc))
                inner_start = len(lines)
                walk(cell, depth)
                text = " ".join(s.strip() for s in lines[inner_start:] if s.strip())
                del lines[inner_start:]
                if text:
                    cells.append(text)
            if cells:
                lines.append(" | ".join(cells))

    try:
        for section in document.sections:
            header = section.header
            if not header.is_linked_to_previous:
                walk(header)
        walk(document)
    except Exception:  # noqa: BLE001
        raise corrupt from None
    return "\n".join(lines)
