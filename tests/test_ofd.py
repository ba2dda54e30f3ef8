"""OFD reports (parsers/formats/ofd.py): the fixture read by its geometry, hostile packages named."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from govreports.parsers.report import parse

OFD = (
    Path(__file__).resolve().parent.parent
    / "fixtures"
    / "pages"
    / "synthetic-hongze-2024-blanks-ofd.ofd"
)


def _parts() -> dict[str, bytes]:
    with zipfile.ZipFile(OFD) as z:
        return {name: z.read(name) for name in z.namelist()}


def _package(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_an_ofd_is_read_by_its_ruling_lines() -> None:
    report = parse(OFD.read_bytes(), OFD.name)
    cells = {(c.row, c.col): c for c in report.cells}
    assert (report.report.form, report.status, report.report.year) == ("ofd", "ok", 2024)
    assert cells["new_received", "natural_person"].value == 95
    assert cells["granted", "commercial"].status == "blank"  # a known blank, not a dropped cell


def test_an_ofd_without_ruling_lines_is_read_as_text_and_says_so() -> None:
    parts = {
        name: re.sub(rb"<ofd:PathObject.*?</ofd:PathObject>", b"", data)
        for name, data in _parts().items()
    }
    report = parse(_package(parts))
    assert report.report.form == "ofd-text"
    assert any("no ruled table in the OFD" in p for p in report.problems)


def test_hostile_ofd_packages_get_clear_errors() -> None:
    parts = _parts()
    climbing = dict(parts)
    climbing["Doc_0/Document.xml"] = parts["Doc_0/Document.xml"].replace(
        b"BaseLoc='Pages/Page_0/Content.xml'", b"BaseLoc='../../../etc/passwd'"
    )
    report = parse(_package(climbing))
    assert report.status == "not_a_report" and "climbs out of the package" in report.problems[0]

    bomb = dict(parts)
    bomb["Doc_0/Pages/Page_0/Content.xml"] = b" " * (21 * 1024 * 1024)  # 20 KB packed
    report = parse(_package(bomb))
    assert report.status == "not_a_report" and "MB unpacked" in report.problems[0]

    broken = dict(parts)
    broken["Doc_0/Pages/Page_1/Content.xml"] = b"<ofd:Page xmlns:ofd='x'><unclosed>"
    report = parse(_package(broken))
    assert report.status == "not_a_report" and "not well-formed XML" in report.problems[0]

    entity = dict(parts)
    entity["OFD.xml"] = (
        b"<?xml version='1.0'?><!DOCTYPE r [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>"
        b"<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'><ofd:DocBody><ofd:DocRoot>&e;"
        b"</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )
    report = parse(_package(entity))  # the entity is not expanded: no document is named
    assert report.status == "not_a_report" and "names no document" in report.problems[0]

    blank_pages = {
        name: re.sub(rb"<ofd:TextObject.*?</ofd:TextObject>", b"", data)
        for name, data in parts.items()
    }
    report = parse(_package(blank_pages))
    assert report.status == "no_tables" and "no text" in report.problems[0]


def test_an_ofd_without_a_date_line_is_dated_by_its_creation_date() -> None:
    parts = _parts()
    parts["OFD.xml"] = parts["OFD.xml"].replace(b"2025-01-20", b"2025-02-03")
    for name, data in parts.items():  # the 发布日期 line taken out of the pages
        parts[name] = re.sub(
            rb"<ofd:TextObject[^>]*>(?:(?!</ofd:TextObject>).)*\xe5\x8f\x91\xe5\xb8\x83\xe6\x97\xa5\xe6\x9c\x9f.*?</ofd:TextObject>",
            b"",
            data,
        )
    meta = parse(_package(parts)).report
    assert (meta.published, meta.published_basis) == ("2025-02-03", "ofd_properties")
