"""The publisher's name as one spelling, and what kind of body it is.

Names arrive as the page prints them: full-width letters and digits, spaces inside
(上海市 人民政府), a site's name in place of the body's (某县人民政府门户网站). One spelling per
body is what lets a panel group a publisher's years, so the name is normalized (NFKC, no
spaces, no trailing website words) and classified by its ending:
- `government`: a people's government (人民政府), whose report is the government's own;
- `government_office`: its general office (人民政府办公室/办公厅), a department by the
  Regulations but the office that usually publishes;
- `department`: a department or bureau (局, 委员会, 厅, 中心 …);
- `other`: zones' committees (管委会), streets' offices, and names that say no kind.
"""

from __future__ import annotations

import re
import unicodedata

KINDS = ("government", "government_office", "department", "other")
_NOISE = re.compile(r"(?:门户网站|政府网站|官方网站|网站|门户|政务网|官网)$")
_OFFICE = re.compile(r"人民政府(?:办公室|办公厅)$|政府办(?:公室)?$")
_DEPARTMENT = re.compile(r"(局|厅|委员会|委|办公室|办公厅|办|中心|署|院|部|处|所|队|站|馆)$")
_ZONE = re.compile(r"(管委会|管理委员会|办事处|街道)$")
# A township's or street's own body: its government, office or the street itself.
_TOWNSHIP = re.compile(r"(镇|乡|街道)(人民政府|办事处|党政办|办公室|办)?$")


def normalize_agency(name: str | None) -> str | None:
    if not name:
        return None
    clean = "".join(unicodedata.normalize("NFKC", name).split())
    clean = _NOISE.sub("", clean)
    return clean if len(clean) >= 2 else None


def agency_kind(name: str | None) -> str | None:
    if not name:
        return None
    if name.endswith("人民政府"):
        return "government"
    if _OFFICE.search(name):
        return "government_office"
    if _ZONE.search(name):
        return "other"
    if _DEPARTMENT.search(name):
        return "department"
    return "other"


_PLACE_END = ("省", "市", "县", "区", "旗", "州", "盟")


def parent_agency(name: str | None, text: str) -> str | None:
    """The body the publisher answers to, where the report names it. A government's general
    office names its government in its own name (某县人民政府办公室 → 某县人民政府); a department
    named with its place (淮安市洪泽区财政局) answers to that place's people's government when
    the report's text names it (淮安市洪泽区人民政府); the longest such place wins. A
    government's own parent is not something a report names: none, rather than a guess."""
    kind = agency_kind(name)
    if not name or kind not in ("government_office", "department"):
        return None
    if kind == "government_office":
        if "人民政府" in name:
            return name[: name.index("人民政府")] + "人民政府"
        cut = name.index("政府办")
        return name[:cut] + "人民政府" if cut >= 2 else None
    for end in range(len(name) - 2, 1, -1):
        place = name[:end]
        if place.endswith(_PLACE_END) and place + "人民政府" in text:
            return place + "人民政府"
    return None


def is_township(name: str | None) -> bool:
    """A township (镇, 乡) or street (街道) body: the Regulations set it no report deadline, and
    its name rarely carries its county."""
    return bool(name and _TOWNSHIP.search(name))
