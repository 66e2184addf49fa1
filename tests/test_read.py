"""Reading real files: PDF, PPTX, DOCX, Markdown, text; and the plain reasons for files that cannot be read."""
from __future__ import annotations

import pytest

from assistant.corpus.chunking import MAX_WORDS, chunk_document
from assistant.corpus.readers import list_corpus, read_document
from assistant.errors import UnreadableDocument
from assistant.corpus.text import clean_page, split_sentences
from conftest import BUNDLED_CORPUS, make_docx, make_pdf, make_pptx


def test_pdf_pages_title_hyphenation_and_furniture(tmp_path):
    header = "MDT Nieuwsbrief - intern"
    pages = [
        f"{header}\nWe kun-\nnen jongeren helpen met MDT-\nprojecten in de regio.\n1",
        f"{header}\nDe regiofacilitator kent het netwerk en\nhet MDT\n-traject goed.\n2",
        f"{header}\nOp pagina drie staat de begroting voor\n2025 van de gemeente Tubbergen.\n3",
    ]
    document = read_document(make_pdf(tmp_path / "nieuws.pdf", pages, title="Nieuwsbrief regio"))
    assert document.title == "Nieuwsbrief regio"
    assert [page.number for page in document.pages] == [1, 2, 3]
    first = document.pages[0].text
    assert "kunnen jongeren" in first and "MDT-projecten" in first
    assert "MDT-traject" in document.pages[1].text
    assert all(header not in page.text for page in document.pages), "running header is furniture"
    assert not any(page.text.rstrip().endswith((" 1", " 2", " 3")) for page in document.pages), "page numbers dropped"
    assert "Tubbergen" in document.pages[2].text


def test_pdf_without_title_uses_file_name(tmp_path):
    document = read_document(make_pdf(tmp_path / "jaarplan-regio-twente.pdf", ["Het jaarplan."]))
    assert document.title == "Jaarplan regio twente"


def test_pptx_slides_notes_and_tables(tmp_path):
    path = make_pptx(tmp_path / "deck.pptx", [
        ("Welkom", "Beslisdag over samenwerking", ""),
        ("Financiering", "De regiofacilitator wordt betaald uit de regiobijdrage", "Let op: tot eind 2025."),
    ], title="Regiodag deck")
    document = read_document(path)
    assert document.kind == "pptx" and document.title == "Regiodag deck"
    assert [page.number for page in document.pages] == [1, 2, 3]
    assert "regiobijdrage" in document.pages[1].text and "tot eind 2025" in document.pages[1].text
    assert "Marloes Vinkenborg" in document.pages[2].text


def test_docx_heading_paragraphs_and_table(tmp_path):
    path = make_docx(tmp_path / "werkblad.docx", "Werkblad impactdoelen",
                     ["Schrijf je impactdoel op", "Bespreek het met je partner"],
                     [["Doelgroep", "Impact"], ["Statushouders", "Meer taalvaardigheid"]])
    document = read_document(path)
    assert document.title == "Werkblad impactdoelen"
    assert document.pages[0].number is None
    text = document.text
    assert "Schrijf je impactdoel op." in text and "Statushouders | Meer taalvaardigheid" in text


def test_markdown_heading_and_cp1252_text(tmp_path):
    (tmp_path / "notities.md").write_text("# Overleg met de wethouder\n\nDe   wethouder  wil een vervolgafspraak.\n")
    (tmp_path / "oud.txt").write_bytes("Café-overleg over de begroting van België.".encode("cp1252"))
    md = read_document(tmp_path / "notities.md")
    assert md.title == "Overleg met de wethouder" and "De wethouder wil een vervolgafspraak." in md.text
    txt = read_document(tmp_path / "oud.txt")
    assert txt.title == "Oud" and "Café-overleg" in txt.text and "België" in txt.text


MARKDOWN_GUIDE = """# Werkwijze MDT Oosterpark

Inleiding met **vette** tekst, _nadruk_ en een [link naar de site](https://example.org).

## Onderdeel 1: De intake

Tijdens de intake spreekt de coach met de jongere.
De intake duurt ongeveer een uur.

- eerste punt van de lijst
- tweede punt met `code`

Onderdeel 2: Begeleiding
------------------------

> Een citaat van een jongere.

| Fase | Duur |
|------|------|
| Start | 2 weken |

1. Stap een
2. Stap twee
"""


def test_markdown_is_read_as_the_text_a_reader_sees_by_sections(tmp_path):
    (tmp_path / "gids.md").write_text(MARKDOWN_GUIDE, encoding="utf-8")
    document = read_document(tmp_path / "gids.md")
    assert document.title == "Werkwijze MDT Oosterpark"
    assert [page.section for page in document.pages] == [
        "Werkwijze MDT Oosterpark", "Onderdeel 1: De intake", "Onderdeel 2: Begeleiding"]
    first, intake, guidance = (page.text for page in document.pages)
    assert first == "Inleiding met vette tekst, nadruk en een link naar de site."
    assert intake == ("Tijdens de intake spreekt de coach met de jongere. De intake duurt ongeveer een uur. "
                      "• eerste punt van de lijst. • tweede punt met code.")
    assert guidance == "Een citaat van een jongere. Fase – Duur. Start – 2 weken. 1. Stap een. 2. Stap twee."
    for mark in ("#", "**", "](", "`", "|", "> ", "---"):
        assert mark not in document.text, mark
    # a chunk never spans two sections and knows its heading (e5 reads it with the text)
    chunks = chunk_document(document)
    assert [chunk.section for chunk in chunks] == [page.section for page in document.pages]
    assert chunks[1].embed_text.startswith("Werkwijze MDT Oosterpark. Onderdeel 1: De intake. Tijdens de intake")


def test_word_headings_start_sections(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Handreiking jongerenraad", level=1)
    document.add_paragraph("Een jongerenraad adviseert de gemeente gevraagd en ongevraagd")
    document.add_heading("Werving", level=2)
    document.add_paragraph("Werf leden via scholen en sportclubs.")
    document.save(str(tmp_path / "handreiking.docx"))
    read = read_document(tmp_path / "handreiking.docx")
    assert read.title == "Handreiking jongerenraad"
    assert [(p.section, p.text) for p in read.pages] == [
        ("Handreiking jongerenraad", "Een jongerenraad adviseert de gemeente gevraagd en ongevraagd."),
        ("Werving", "Werf leden via scholen en sportclubs.")]


@pytest.mark.parametrize("name, data, reason", [
    ("kapot.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage", "not a readable PDF"),
    ("leeg.pdf", b"", "empty file"),
    ("deck.pptx", b"PK\x03\x04 this is not a zip of slides", "not a readable PowerPoint file"),
    ("tabel.xlsx", b"PK\x03\x04", "unsupported file type"),
])
def test_unreadable_files_have_plain_reasons(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UnreadableDocument, match=reason):
        read_document(path)


def test_encrypted_pdf(tmp_path):
    from pypdf import PdfReader, PdfWriter

    plain = make_pdf(tmp_path / "plain.pdf", ["Geheime tekst."])
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt("wachtwoord")
    with open(tmp_path / "geheim.pdf", "wb") as handle:
        writer.write(handle)
    with pytest.raises(UnreadableDocument, match="encrypted"):
        read_document(tmp_path / "geheim.pdf")


def test_corpus_listing_skips_links_outside_the_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (tmp_path / "secret.txt").write_text("not for the index")
    (corpus / "in.txt").write_text("inside")
    (corpus / "escape.txt").symlink_to(tmp_path / "secret.txt")
    assert list(list_corpus(corpus)) == ["in.txt"]


def test_bundled_corpus_reads_with_titles_and_clean_text():
    for path in sorted(BUNDLED_CORPUS.glob("*.pdf")):
        document = read_document(path)
        assert document.title and document.title != path.stem
        for page in document.pages:
            assert page.text == page.text.strip() and "\n" not in page.text and "  " not in page.text
    factsheet = read_document(BUNDLED_CORPUS / "samenwerken-met-gemeenten.pdf")
    page5 = next(page for page in factsheet.pages if page.number == 5)
    assert "brede portefeuilles" in page5.text
    assert "vertegenwoordigen" in clean_page("vertegen-\nwoordigen")


def test_chunks_stay_on_their_page_and_are_sized():
    for path in sorted(BUNDLED_CORPUS.glob("*.pdf")):
        document = read_document(path)
        pages = {page.number: page.text for page in document.pages}
        for chunk in chunk_document(document):
            assert chunk.text in pages[chunk.page], "a chunk never crosses a page boundary"
            assert len(chunk.text.split()) <= MAX_WORDS + 40
            assert chunk.embed_text.startswith(document.title)
    deck = read_document(BUNDLED_CORPUS / "beslisdag-regionale-samenwerking.pdf")
    tiny = [c for c in chunk_document(deck) if c.page == 2]
    assert len(tiny) == 1 and tiny[0].text == "Even voorstellen", "a tiny slide is kept whole"


def test_sentence_split_respects_abbreviations():
    parts = split_sentences("Denk bijv. aan de wethouder. Nodig o.a. de directeur uit! • Eerste punt • Tweede punt")
    assert parts == ["Denk bijv. aan de wethouder.", "Nodig o.a. de directeur uit!", "• Eerste punt", "• Tweede punt"]
