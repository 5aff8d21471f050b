"""A minimal PDF writer: real, text-extractable PDF 1.4 files with Helvetica pages."""

from __future__ import annotations

import textwrap

LINES_PER_PAGE = 48
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def _escape(line: str) -> bytes:
    data = line.encode("cp1252", errors="replace")
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _content(lines: list[str]) -> bytes:
    shown = b"".join(b"(" + _escape(line) + b") Tj T*\n" for line in lines)
    return b"BT /F1 11 Tf 14 TL 56 780 Td\n" + shown + b"ET"


def pdf_document(title: str, paragraphs: list[str], width: int = 90) -> bytes:
    """A PDF with ``title`` and the paragraphs wrapped at ``width`` characters."""
    lines = [title, ""]
    for paragraph in paragraphs:
        lines += textwrap.wrap(paragraph, width) + [""]
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    first_page = 4  # objects: 1 catalog, 2 page tree, 3 font, then (page, content) pairs
    kids = " ".join(f"{first_page + 2 * n} 0 R" for n in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        _FONT,
    ]
    for n, page in enumerate(pages):
        stream = _content(page)
        contents = first_page + 2 * n + 1
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % contents
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
