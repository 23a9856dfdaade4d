"""read_resume on real files: text, Markdown, hand-built PDFs, python-docx documents, bad input."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentsync_tui.resume import MAX_BYTES, ResumeError, read_resume

RESUME_LINES = [
    "Jordan Lee - Senior Backend Engineer",
    "Experience",
    "Senior Software Engineer at Acme Corp (2019 - present)",
    "Built a billing pipeline with Python (asyncio) and PostgreSQL.",
    "Skills: Python, Go, Kubernetes, Redis",
]


def _pdf_string(text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("cp1252") + b")"


def make_pdf(pages: list[list[str]]) -> bytes:
    """A minimal but valid PDF: Helvetica text, one BT/Tj/ET per line, exact xref offsets."""
    page_count = len(pages)
    font_id = 3 + 2 * page_count
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids ["
        + b" ".join(f"{3 + 2 * i} 0 R".encode() for i in range(page_count))
        + f"] /Count {page_count} >>".encode(),
        font_id: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    }
    for i, lines in enumerate(pages):
        page_id, content_id = 3 + 2 * i, 4 + 2 * i
        objects[page_id] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {content_id} 0 R >>"
        ).encode()
        stream = b"\n".join(
            f"BT /F1 11 Tf 72 {740 - 16 * n} Td ".encode() + _pdf_string(line) + b" Tj ET"
            for n, line in enumerate(lines)
        )
        objects[content_id] = (
            f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream"
        )

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for obj_id in sorted(objects):
        offsets[obj_id] = len(out)
        out += f"{obj_id} 0 obj\n".encode() + objects[obj_id] + b"\nendobj\n"
    xref_at = len(out)
    size = max(objects) + 1
    out += f"xref\n0 {size}\n".encode() + b"0000000000 65535 f \n"
    for obj_id in range(1, size):
        out += f"{offsets[obj_id]:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n".encode()
    return bytes(out)


def write_pdf(path: Path, pages: list[list[str]]) -> Path:
    path.write_bytes(make_pdf(pages))
    return path


def encrypted_copy(source: Path, target: Path, user_password: str, owner_password: str) -> Path:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(source))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="RC4-128")
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def make_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Jordan Lee", level=1)
    document.add_paragraph("Senior Backend Engineer with 8+ years of experience.")
    document.add_heading("Experience", level=2)
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "Acme Corp"
    table.cell(0, 1).text = "Senior Software Engineer"
    table.cell(0, 2).text = "Jan 2019 - present"
    table.cell(1, 0).text = "Globex"
    table.cell(1, 1).text = "Backend Developer"
    table.cell(1, 2).text = "2016 - 2019"
    document.add_paragraph("Skills: Python, Kubernetes, PostgreSQL")
    document.save(str(path))
    return path


def error_for(path: Path) -> ResumeError:
    with pytest.raises(ResumeError) as caught:
        read_resume(path)
    return caught.value


# ------------------------------------------------------------------ formats


def test_generated_pdf_is_valid_for_pypdf(tmp_path):
    path = write_pdf(tmp_path / "cv.pdf", [RESUME_LINES])
    reader = pypdf.PdfReader(path, strict=True)
    assert len(reader.pages) == 1
    assert "Acme Corp" in reader.pages[0].extract_text()


def test_reads_pdf_text_line_by_line(tmp_path):
    text = read_resume(write_pdf(tmp_path / "cv.pdf", [RESUME_LINES]))
    lines = text.splitlines()
    assert lines[0] == "Jordan Lee - Senior Backend Engineer"
    assert "Senior Software Engineer at Acme Corp (2019 - present)" in lines
    assert "Skills: Python, Go, Kubernetes, Redis" in text


def test_reads_every_page_of_a_pdf(tmp_path):
    text = read_resume(write_pdf(tmp_path / "cv.pdf", [["Page one: Python"], ["Page two: Kubernetes"]]))
    assert text.index("Page one: Python") < text.index("Page two: Kubernetes")


def test_reads_docx_paragraphs_and_table_cells_in_order(tmp_path):
    text = read_resume(make_docx(tmp_path / "cv.docx"))
    assert text.startswith("Jordan Lee")
    assert "Acme Corp | Senior Software Engineer | Jan 2019 - present" in text
    assert "Globex | Backend Developer | 2016 - 2019" in text
    assert text.index("Experience") < text.index("Acme Corp") < text.index("Skills: Python")


def test_docx_merged_cells_are_not_repeated(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "Initech"
    table.cell(0, 2).text = "2020 - 2021"
    path = tmp_path / "merged.docx"
    document.save(str(path))
    assert read_resume(path) == "Initech | 2020 - 2021"


def test_reads_txt_and_md(tmp_path):
    txt = tmp_path / "cv.txt"
    txt.write_text("Jordan Lee\r\nPython developer\r\n", encoding="utf-8")
    md = tmp_path / "cv.MD"  # extension check is case-insensitive
    md.write_text("# Jordan Lee\n\n## Skills\n- Python\n", encoding="utf-8")
    assert read_resume(txt) == "Jordan Lee\nPython developer"
    assert read_resume(md) == "# Jordan Lee\n\n## Skills\n- Python"


def test_text_goes_through_clean_text(tmp_path):
    path = tmp_path / "cv.txt"
    path.write_bytes(b"\xef\xbb\xbf\x1b[31mJordan\x1b[0m Lee\x07\n\n\n\n\nPython   \n")
    assert read_resume(path) == "Jordan Lee\n\nPython"


def test_non_utf8_text_is_decoded_not_rejected(tmp_path):
    path = tmp_path / "cv.txt"
    path.write_bytes("José Núñez — Ingeniero".encode("cp1252"))
    assert read_resume(path) == "José Núñez — Ingeniero"


def test_accepts_str_paths(tmp_path):
    path = tmp_path / "cv.txt"
    path.write_text("Python", encoding="utf-8")
    assert read_resume(str(path)) == "Python"


def test_pdf_with_only_an_owner_password_is_readable(tmp_path):
    plain = write_pdf(tmp_path / "plain.pdf", [RESUME_LINES])
    locked = encrypted_copy(plain, tmp_path / "owner-only.pdf", user_password="", owner_password="boss")
    assert pypdf.PdfReader(locked).is_encrypted
    assert "Acme Corp" in read_resume(locked)


# ------------------------------------------------------------------- errors


def test_missing_file(tmp_path):
    error = error_for(tmp_path / "nope.pdf")
    assert "nope.pdf" in str(error) and "not found" in str(error)


def test_directory_is_not_a_resume(tmp_path):
    assert "not a file" in str(error_for(tmp_path))


def test_unsupported_extension_lists_supported_ones(tmp_path):
    path = tmp_path / "cv.odt"
    path.write_bytes(b"PK\x03\x04 not really")
    message = str(error_for(path))
    assert "cv.odt" in message and "'.odt'" in message
    for extension in (".txt", ".md", ".pdf", ".docx"):
        assert extension in message


def test_file_without_extension(tmp_path):
    path = tmp_path / "resume"
    path.write_text("Python", encoding="utf-8")
    assert "no extension" in str(error_for(path))


@pytest.mark.parametrize("name", ["empty.txt", "empty.md", "empty.pdf", "empty.docx"])
def test_empty_file(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    message = str(error_for(path))
    assert name in message and "empty" in message


def test_whitespace_only_text(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text(" \n\t\n \x1b[0m\n", encoding="utf-8")
    assert "no readable text" in str(error_for(path))


def test_pdf_without_text_looks_scanned(tmp_path):
    path = write_pdf(tmp_path / "scan.pdf", [[]])
    message = str(error_for(path))
    assert "scan.pdf" in message and "scanned" in message


def test_encrypted_pdf(tmp_path):
    plain = write_pdf(tmp_path / "plain.pdf", [RESUME_LINES])
    locked = encrypted_copy(plain, tmp_path / "locked.pdf", user_password="secret", owner_password="boss")
    message = str(error_for(locked))
    assert "locked.pdf" in message and "password" in message


@pytest.mark.parametrize(
    "payload",
    [
        b"this is not a pdf at all",
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog",
        b"%PDF-1.7\n" + bytes(range(256)) * 20,
    ],
    ids=["garbage", "truncated-header", "binary-noise"],
)
def test_corrupt_pdf(tmp_path, payload):
    path = tmp_path / "broken.pdf"
    path.write_bytes(payload)
    message = str(error_for(path))
    assert "broken.pdf" in message


def test_truncated_pdf_never_crashes(tmp_path):
    data = make_pdf([RESUME_LINES])
    path = tmp_path / "half.pdf"
    path.write_bytes(data[: len(data) // 2])
    try:
        text = read_resume(path)
    except ResumeError as error:
        assert "half.pdf" in str(error)
    else:  # pypdf may recover the objects before the cut
        assert text


def test_corrupt_docx(tmp_path):
    garbage = tmp_path / "garbage.docx"
    garbage.write_bytes(b"definitely not a zip file")
    assert "garbage.docx" in str(error_for(garbage))

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "a zip, but not a Word document")
    wrong_zip = tmp_path / "wrong.docx"
    wrong_zip.write_bytes(buffer.getvalue())
    assert "wrong.docx" in str(error_for(wrong_zip))


def test_ole_docx_is_reported_as_protected_or_old_format(tmp_path):
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    message = str(error_for(path))
    assert "old.docx" in message and "password-protected" in message


def test_docx_without_text(tmp_path):
    path = tmp_path / "blank.docx"
    docx.Document().save(str(path))
    assert "no readable text" in str(error_for(path))


def test_file_over_ten_megabytes(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    message = str(error_for(path))
    assert "huge.txt" in message and "10 MB" in message


def test_file_of_exactly_ten_megabytes_is_allowed(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"Python\n" + b" " * (MAX_BYTES - 7))
    assert read_resume(path) == "Python"


def test_errors_are_sentences_not_tracebacks(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4 junk")
    error = error_for(path)
    message = str(error)
    assert message[0].isupper() and message.endswith(".")
    assert "Traceback" not in message and "Error" not in message
    assert error.path == path


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    payload=st.one_of(
        st.binary(max_size=600),
        st.binary(max_size=400).map(lambda b: b"%PDF-1.4\n" + b),
        st.binary(max_size=400).map(lambda b: b"PK\x03\x04" + b),
    ),
    extension=st.sampled_from([".pdf", ".docx", ".txt", ".md"]),
)
def test_arbitrary_bytes_give_text_or_resume_error(tmp_path, payload, extension):
    path = tmp_path / f"fuzz{extension}"
    path.write_bytes(payload)
    try:
        text = read_resume(path)
    except ResumeError as error:
        assert path.name in str(error)
    else:
        assert isinstance(text, str) and text == text.strip() and text
