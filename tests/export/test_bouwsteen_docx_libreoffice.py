"""The Word export opened by LibreOffice Writer, as a trekker without Word would open it.

LibreOffice (Debian's ``libreoffice-writer-nogui``, installed by
``scripts/ensure-system-packages``) converts the docx to PDF headless; the PDF is read back
with pypdf. A docx that Writer cannot open makes the conversion fail or leave no file; one
it opens with its headings lost shows no outline.
"""

from __future__ import annotations

import shutil
import subprocess
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
