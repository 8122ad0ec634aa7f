"""Two tagged WeasyPrint PDFs joined into one: pages, structure tree, parent tree,
bookmarks and page labels all still agree, read back with pypdf."""

from __future__ import annotations

import io

import pytest

pypdf = pytest.importorskip("pypdf")

from noviwerk.export.bouwsteen import pdf as bouwsteen_pdf  # noqa: E402
from noviwerk.export.pdf_join import Part, join  # noqa: E402


def _html(title: str, heading: str, items: int) -> str:
    rows = "".join(f"<li>{heading} punt {i}</li>" for i in range(items))
    return (f'<html lang="nl"><head><title>{title}</title></head><body>'
            f"<h1>{title}</h1><h2>{heading}</h2><ul>{rows}</ul></body></html>")


@pytest.fixture(scope="module")
def parts() -> tuple[bytes, bytes]:
    first = bouwsteen_pdf.print_html(_html("Eerste deel", "Tekst", 90))
    second = bouwsteen_pdf.print_html(
        '<html lang="nl"><body><h2>Bijlage</h2><h3>Ronde 1</h3><ol>'
        + "".join(f"<li>bijdrage {i}</li>" for i in range(140))
        + "</ol><h3>Ronde 2</h3><p>laatste</p></body></html>"
    )
    return first, second


@pytest.fixture(scope="module")
def joined(parts) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(join([Part(parts[0]), Part(parts[1], "B")])))


def _count(data: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


def test_pages_of_both_parts_in_order_with_their_own_labels(parts, joined):
    first, second = _count(parts[0]), _count(parts[1])
    assert first >= 2 and second >= 2
    assert len(joined.pages) == first + second
    assert joined.page_labels == [str(i) for i in range(1, first + 1)] + [
        f"B{i}" for i in range(1, second + 1)
    ]
    text = [page.extract_text() for page in joined.pages]
    assert "Tekst punt 0" in text[0]
    assert "Tekst punt 89" in text[first - 1]
    assert "bijdrage 0" in text[first] and "laatste" in text[-1]
    assert joined.metadata.title == "Eerste deel"  # the first part's metadata is the document's


def _elements(reader) -> list:
    """Every structure element reachable from the root, depth first, in reading order."""
    out, todo = [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while todo:
        node = todo.pop().get_object()
        if not isinstance(node, dict):
            continue
        if node.get("/Type") == "/StructElem":
            out.append(node)
        kids = node.get("/K", [])
        kids = kids if isinstance(kids, list) else [kids]
        todo.extend(reversed(kids))
    return out


def test_one_structure_tree_in_reading_order_pointing_into_the_joined_pages(parts, joined):
    elements = _elements(joined)
    pages = {page.indirect_reference.idnum for page in joined.pages}
    for element in elements:
        if "/Pg" in element:
            assert element.raw_get("/Pg").idnum in pages
    documents = [e for e in elements if e["/S"] == "/Document"]
    assert len(documents) == 1
    headings = [e["/S"] for e in elements if e["/S"] in ("/H1", "/H2", "/H3")]
    assert headings == ["/H1", "/H2", "/H2", "/H3", "/H3"]
    # each element's parent is the element it hangs under
    for element in elements:
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object()
            if isinstance(kid, dict) and kid.get("/Type") == "/StructElem":
                assert kid.raw_get("/P").idnum == element.indirect_reference.idnum
    items = [e for e in elements if e["/S"] == "/LI"]
    assert len(items) == 90 + 140


def test_every_page_finds_its_own_elements_in_the_parent_tree(joined):
    root = joined.trailer["/Root"]["/StructTreeRoot"]
    nums = root["/ParentTree"]["/Nums"]
    tree = {int(nums[i]): nums[i + 1].get_object() for i in range(0, len(nums), 2)}
    reachable = {e.indirect_reference.idnum for e in _elements(joined)}
    keys = [int(page["/StructParents"]) for page in joined.pages]
    assert len(set(keys)) == len(keys)
    assert int(root["/ParentTreeNextKey"]) > max(tree)
    for page, key in zip(joined.pages, keys, strict=True):
        marked = tree[key]
        assert marked, "a page without tagged content"
        for element in marked:
            element_obj = element.get_object()
            assert element.idnum in reachable
            owner = element_obj
            while "/Pg" not in owner:  # the page is given by the element or an ancestor
                owner = owner["/P"].get_object()
            assert owner.raw_get("/Pg").idnum == page.indirect_reference.idnum


def test_bookmarks_of_the_second_part_hang_under_the_title(parts, joined):
    outline = joined.outline
    assert [item.title for item in outline if not isinstance(item, list)] == ["Eerste deel"]
    children = outline[1]
    titles = [item.title for item in children if not isinstance(item, list)]
    assert titles == ["Tekst", "Bijlage"]
    rounds = children[-1]
    assert [item.title for item in rounds] == ["Ronde 1", "Ronde 2"]
    first = _count(parts[0])
    assert joined.get_destination_page_number(children[-2]) == first  # Bijlage's first page
    assert joined.get_destination_page_number(rounds[1]) == len(joined.pages) - 1


def test_the_same_parts_always_give_the_same_bytes(parts):
    assert join([Part(parts[0]), Part(parts[1], "B")]) == join([Part(parts[0]), Part(parts[1], "B")])


def test_an_untagged_pdf_is_refused_rather_than_joined_with_lying_tags(parts):
    from weasyprint import HTML

    untagged = HTML(string="<p>zonder tags</p>").write_pdf()
    with pytest.raises(ValueError, match="tagged"):
        join([Part(parts[0]), Part(untagged)])


def test_qpdf_finds_nothing_wrong_with_the_joined_file(parts):
    import pikepdf

    with pikepdf.open(io.BytesIO(join([Part(parts[0]), Part(parts[1], "B")]))) as pdf:
        assert pdf.check_pdf_syntax() == []
