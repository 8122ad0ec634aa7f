"""On the page, a trekker's own paragraph cites nothing and is marked as theirs (issue 14 item 7)."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from tests.conftest import bouwsteen_url, login, make_bouwsteen, post_form

OWN = "Wat ons als trekkers opviel: iedereen wil vooruit."


@pytest.fixture
def edited(client, world):
    _fac, _trekker, w = world.with_posts(
        (
            "Meer ruimte voor water in de stad",
            "Ruimte voor water in steden is hard nodig",
            "Bodemdaling in het veenweidegebied gaat door",
        )
    )
    login(client, "trek@example.test")
    make_bouwsteen(client, w)
    edit = bouwsteen_url(w, "/secties/samenvatting")
    form = client.get(edit).get_data(as_text=True)
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", form, re.S).group(1)
    lead = html_lib.unescape(textarea).strip().split("\n\n")[0]  # kept as the machine wrote it
    text = f"{lead}\n\n{OWN}\n\nBodemdaling telt ook. [3]"
    assert post_form(client, edit, {"text": text}, page=edit).status_code == 303
    return client.get(bouwsteen_url(w)).get_data(as_text=True), w


def test_own_paragraph_cites_nothing_and_is_marked(edited):
    page, _ = edited
    own = next(p for p in re.findall(r"<p class=\"doc-para[^>]*>.*?</p>", page, re.S) if OWN in p)
    assert "bijlage-" not in own and "origin-hand" in own and "(trekker)" in own
    cited = next(p for p in re.findall(r"<p class=\"doc-para[^>]*>.*?</p>", page, re.S)
                 if "Bodemdaling telt ook." in p)
    assert re.findall(r'href="#bijlage-(\d+)"', cited) == ["3"]
    assert "bewerkt door de trekker" in page


def test_markdown_download_cites_nothing_for_the_own_paragraph(client, edited):
    _, w = edited
    markdown = client.get(bouwsteen_url(w, ".md")).get_data(as_text=True)
    own = next(line for line in markdown.splitlines() if OWN[:20] in line)
    assert not re.search(r"\[\d", own) and own.endswith("*(trekker)*")
