"""The Word export opened by LibreOffice Writer, as a trekker without Word would open it.

LibreOffice (Debian's ``libreoffice-writer-nogui``, installed by
``scripts/ensure-system-packages``) converts the docx to PDF headless; the PDF is read back
with pypdf. A docx that Writer cannot open makes the conversion fail or leave no file; one
it opens with its headings lost shows no outline.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from noviwerk.export.bouwsteen import docx as bouwsteen_docx
from noviwerk.synthesis.bouwsteen import assemble
from tests.export.test_bouwsteen_injection import NASTY
from tests.synthesis.builders import Contributions, energie_werkplaats, werkplaats

pypdf = pytest.importorskip("pypdf")
SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice not installed (scripts/ensure-system-packages adds it)"
)
A4_PT = (595.3, 841.9)


@pytest.fixture(scope="module")
def opened(tmp_path_factory) -> dict[str, pypdf.PdfReader]:
    """Both documents converted in one LibreOffice run, with a profile of its own."""
    work = tmp_path_factory.mktemp("libreoffice")
    w, records, _ = energie_werkplaats()
    nasty = Contributions()
    for i, text in enumerate(NASTY):
        nasty.add(1 + i % 3, text, label="opgave", veld="maatschappelijk")
    documents = {
        "energie": assemble(w, records),
        "nasty": assemble(werkplaats(title="Werkplaats <b>vet</b> & \x07co"), nasty.records),
    }
    for name, document in documents.items():
        (work / f"{name}.docx").write_bytes(bouwsteen_docx.render(document))
    subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={(work / 'profile').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(work),
         *(str(work / f"{name}.docx") for name in documents)],
        check=True, capture_output=True, timeout=180,
    )
    return {name: pypdf.PdfReader(Path(work / f"{name}.pdf")) for name in documents}


def _outline(items, depth: int = 0) -> list[tuple[int, str]]:
    titles = []
    for item in items:
        if isinstance(item, list):
            titles += _outline(item, depth + 1)
        else:
            titles.append((depth, item.title))
    return titles


def _text(reader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_writer_opens_it_on_a4_with_its_headings_as_headings(opened):
    reader = opened["energie"]
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == A4_PT
    outline = _outline(reader.outline)
    top = [title for depth, title in outline if depth == 0]
    assert top[0] == "Samenvatting" and top[-1] == "Bijlage: alle bijdragen"
    assert "Afwijkende geluiden" in top and "Opgaven, kansen en dilemma's" in top
    rounds = [title for depth, title in outline if depth == 1]
    assert len(rounds) == 5 and rounds[0].startswith("Ronde 1")


def test_writer_shows_the_kop_table_and_every_contribution_numbered_in_the_bijlage(opened):
    text = _text(opened["energie"])
    assert "Werkplaats Energie in de regio" in " ".join(text.split())
    bijlage = " ".join(text[text.rindex("Bijlage: alle bijdragen"):].split())
    _, records, _ = energie_werkplaats()
    position = 0
    for record in records:  # in order, each number with its own text
        item = f"{record.number}. {' '.join(record.text.split())}"
        position = bijlage.index(item, position) + len(item)


def test_writer_shows_what_participants_typed_as_text(opened):
    text = " ".join(_text(opened["nasty"]).split())
    assert "<script>alert('x')</script> meer windmolens op zee" in text
    assert "</section><h1>kaping</h1>" in text
    assert "Werkplaats <b>vet</b> & co" in text


def test_writer_lays_out_the_opgaven_table_without_breaking_a_short_column(opened):
    """Each row's soort, text, counts and references on one line where they fit: with the
    columns sized to their contents no heading or soort breaks inside a word."""
    lines = [" ".join(line.split()) for line in _text(opened["energie"]).splitlines()]
    assert "Soort Punt Deelnemers Steun Bijlage" in lines
    assert "Dilemma Natuur of zonneweides: wat gaat voor? 1 0 [18]" in lines


@pytest.fixture(scope="module")
def as_odt(tmp_path_factory) -> str:
    """The energie docx as Writer reads it, saved in its own format (content.xml)."""
    work = tmp_path_factory.mktemp("libreoffice-odt")
    w, records, _ = energie_werkplaats()
    (work / "energie.docx").write_bytes(bouwsteen_docx.render(assemble(w, records)))
    subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={(work / 'profile').as_uri()}",
         "--convert-to", "odt", "--outdir", str(work), str(work / "energie.docx")],
        check=True, capture_output=True, timeout=180,
    )
    with zipfile.ZipFile(work / "energie.odt") as odt:
        return odt.read("content.xml").decode()


def test_writer_reads_the_citations_as_links_to_bookmarks_in_the_bijlage(as_odt):
    _, records, _ = energie_werkplaats()
    bookmarks = set(re.findall(r'<text:bookmark-start text:name="([^"]+)"', as_odt))
    assert {f"bijlage_{r.number}" for r in records} <= bookmarks
    targets = re.findall(r'<text:a [^>]*xlink:href="#([^"]+)"', as_odt)
    assert len(targets) > 20 and set(targets) <= bookmarks
    assert {"bijlage_1", "bijlage_7", "bijlage_13", "bijlage_15"} <= set(targets)
