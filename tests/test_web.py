"""The chat window, end to end: the real app (`python app.py`) in a subprocess over a copy of the
bundled corpus and a fresh index, driven by headless Chromium (Playwright) and by gradio_client.

The app is started once for the module; it indexes the corpus on first start (the first browser test
watches that happen). Screenshots of every state go to test-artifacts/ (git-ignored).
"""
from __future__ import annotations

import email
import email.policy
import html
import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse, urlsplit

import pytest

from assistant.config import ROOT
from helpers import TUBBERGEN_NOTES, RunningApp

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"
FACTSHEET = "Hoe werk je als MDT-organisatie effectief samen met gemeenten?"
NOTES = TUBBERGEN_NOTES
ALDERMAN_NOTES = """Overleg wethouder Bakker (Hof van Twente) 4 april
aanwezig: wethouder Marieke Bakker, Youssef El Amrani (beleidsadviseur), onze directeur Linda, ik
* wethouder enthousiast over MDT voor jongeren zonder startkwalificatie
Linda stuurt de maatschappelijke businesscase voor 1 mei
Volgende afspraak: 15 mei 14:00 gemeentehuis Goor
"""
DINKELLAND = """# MDT in Dinkelland

De MDT-coördinator van Dinkelland heet Femke Jansen. Zij werkt op het gemeentehuis in Denekamp en helpt
MDT-organisaties bij hun eerste gesprek met de gemeente Dinkelland.
"""
XSS_TITLE = "Veiligheidstest <script>window.__xss=1</script>"
XSS = f"""# {XSS_TITLE}

Het testbureau Zwanenburg controleert of de assistent vreemde tekens in documenten veilig toont.
<script>window.__xss=1</script> **vet** [link](javascript:alert(1)) <img src=x onerror="window.__xss=2">
"""


# -- pure parts: no app needed ------------------------------------------------------------------------

def test_file_names_stay_inside_the_corpus_folder():
    from assistant.web.uploads import safe_filename
    from assistant.errors import BadFileName

    assert safe_filename("Notitie gemeente Hof van Twente é.pdf") == "Notitie gemeente Hof van Twente é.pdf"
    assert safe_filename("../../etc/passwd.md") == "passwd.md"
    assert safe_filename("C:\\Users\\x\\..\\verslag.docx") == "verslag.docx"
    assert safe_filename("a..b.txt") == "a.b.txt"
    assert safe_filename("...verborgen.md") == "verborgen.md"
    for bad in ("script.sh", ".md", "README.md", "noextension", "../.."):
        with pytest.raises(BadFileName):
            safe_filename(bad)


def test_corpus_text_is_rendered_inert():
    from assistant.answers.types import Answer, Citation
    from assistant.retrieval.passage import Passage
    from assistant.web.render import highlight, md_literal, render_answer_message, render_citations

    evil = "<script>x()</script> **vet** [link](javascript:alert(1)) <img src=x onerror=y()>"
    passage = Passage(rank=1, source="a<b>.pdf", title=f"Titel {evil}", page=2,
                      text=f"Voor. De zin met {evil} erin. Na.", score=1.0, similarity=0.9, id="c1")
    citation = Citation(n=1, source=passage.source, title=passage.title, page=2, quote=f"De zin met {evil} erin.")
    panel = render_citations([citation], [passage], "nl")
    assert "<script>" not in panel and "<img" not in panel and "<b>" not in panel
    assert "&lt;script&gt;x()&lt;/script&gt;" in panel and "<mark>De zin met &lt;script&gt;" in panel
    assert 'href="/corpus/a%3Cb%3E.pdf#page=2"' in panel
    assert highlight("abc", "niet aanwezig") is None
    assert md_literal("Kleine gemeenten: breed insteken. [1] Zie MDT-organisatie (p. 5).") == \
        "Kleine gemeenten: breed insteken. [1] Zie MDT-organisatie (p. 5)."  # copies cleanly
    tricks = ("**vet** _schuin_ `code` ~~weg~~ [x](javascript:y) ![i](x.png) [r][1] <b>b</b> &amp; "
              "www.voorbeeld.nl https://voorbeeld.nl/a info@voorbeeld.nl a | b\n# kop\n- lijst\n+ ook\n"
              "1. een\n2) twee\n> citaat\n    code\n---\n===\n[1]: https://x.nl")
    rendered = _render_markdown(md_literal(tricks))
    assert re.findall(r"<(\w+)", rendered) == ["p"] * rendered.count("<p"), rendered
    assert html.unescape(re.sub(r"<[^>]+>", "", rendered)).split() == " ".join(
        line.strip() for line in tricks.splitlines()).split()
    answer = Answer(question="q", answer=f"Antwoord {evil} [1]", mode="extractive", abstained=False,
                    citations=[citation], passages=[passage], notice="<b>model down</b>")
    message = render_answer_message(answer, "nl")
    rendered = _render_markdown(message)
    assert set(re.findall(r"<(\w+)", rendered)) == {"p", "strong"}, rendered  # only the 'Bronnen:' label is bold
    assert "&lt;script&gt;x()&lt;/script&gt; **vet** [link](javascript:alert(1))" in rendered


def _render_markdown(text: str) -> str:
    """CommonMark with tables, strikethrough and (when available) bare-link detection, like the chat's renderer."""
    from markdown_it import MarkdownIt

    renderer = MarkdownIt("commonmark", {"breaks": False}).enable(["table", "strikethrough"])
    try:
        renderer.enable("linkify")
        renderer.options["linkify"] = True
        renderer.render("www.x.nl")
    except Exception:  # linkify-it-py is not installed
        renderer = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    return renderer.render(text)


def test_a_downvote_becomes_an_evaluation_case(tmp_path):
    from assistant.evaluation.sets import load_set
    from assistant.evaluation.feedback import FeedbackStore, add_eval_case

    store = FeedbackStore(tmp_path / "index" / "feedback.jsonl")
    store.add("up", "Hoe benader ik een kleine gemeente?", "Breed. [1]", [{"source": "a.pdf", "page": 5}])
    entry = store.add("down", "Wie betaalt de coaching?", "Dat staat niet in de documenten.", [])
    assert [e["vote"] for e in store.entries()] == ["up", "down"]
    cases = tmp_path / "eval" / "from-feedback.yaml"
    item, added = add_eval_case(entry, cases)
    assert added and item["expected_answer"] == "" and item["expected_sources"] == []
    assert add_eval_case(entry, cases) == (item, False)  # once only
    add_eval_case(store.add("down", "Tweede vraag: wat nu?", "x", []), cases)
    loaded = load_set(cases)
    assert [i.question for i in loaded] == ["Wie betaalt de coaching?", "Tweede vraag: wat nu?"]
    assert "downvoted" in cases.read_text(encoding="utf-8")


# -- the real app -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def app(tmp_path_factory):
    running = RunningApp(tmp_path_factory.mktemp("web")).with_bundled_pdfs()
    try:
        yield running.start()
    finally:
        running.stop()


REQUESTS: list[str] = []  # every URL any test page asked for


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium (scripts/test.sh installs it)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(app, browser):
    """A new browser session on the app: open_page(query='') -> page, with every request recorded."""
    contexts = []

    def opener(query: str = "", viewport: dict | None = None, locale: str = "nl-NL"):
        context = browser.new_context(viewport=viewport or {"width": 1366, "height": 900}, locale=locale)
        context.grant_permissions(["clipboard-read", "clipboard-write"])  # the e-mail tab's copy button
        context.on("request", lambda request: REQUESTS.append(request.url))
        context.on("websocket", lambda socket_: REQUESTS.append(socket_.url))
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(app.url + query, wait_until="load")
        page.wait_for_selector("#mdt-question textarea", timeout=60_000)
        page.wait_for_selector("body[data-mdt-ready]", state="attached", timeout=60_000)
        return page

    yield opener
    for context in contexts:
        context.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"web-{name}.png"), full_page=True)


def ask(page, question: str) -> None:
    bots = page.locator('#mdt-chatbot [data-testid="bot"]')
    before = bots.count()
    page.locator("#mdt-question textarea").fill(question)
    page.locator("#mdt-ask").click()
    bots.nth(before).wait_for()
    # Answered when the sources panel or the status has settled and the message is no longer '…'.
    page.wait_for_function(
        """n => { const m = document.querySelectorAll('#mdt-chatbot [data-testid="bot"]');
                  return m.length > n && !m[n].innerText.trim().endsWith('…') && !m[n].innerText.includes('▍'); }""",
        arg=before, timeout=60_000)
    page.wait_for_timeout(300)


def last_answer(page) -> str:
    return page.locator('#mdt-chatbot [data-testid="bot"]').last.inner_text()


def test_first_start_indexes_the_corpus_with_progress(app, open_page):
    from playwright.sync_api import expect

    page = open_page()
    expect(page.locator("#mdt-ask")).to_have_text("Vraag stellen")  # Dutch by default
    if app.status()["indexing"]:
        expect(page.locator("#mdt-index-status")).to_contain_text("Documenten indexeren")
        shot(page, "01-indexing")
        page.locator("#mdt-question textarea").fill("Hoe benader ik een kleine gemeente?")
        page.locator("#mdt-ask").click()
        # Asked while indexing: a plain 'wait' message (or, had indexing just finished, the answer).
        page.wait_for_function("""() => document.querySelector('#mdt-chat-status').innerText.includes('geïndexeerd')
                                  || document.querySelectorAll('#mdt-chatbot [data-testid="bot"]').length > 0""")
        shot(page, "01b-asked-while-indexing")
    status = app.wait_until_indexed()
    assert status["documents"] == 5 and not status["failed"] and status["error"] is None
    expect(page.locator("#mdt-index-status")).not_to_contain_text("indexeren", timeout=10_000)
    assert "indexing 5/5" in app.log_tail() or "Index ready: 5 documents" in app.log_tail()


def test_answer_with_sources_follow_up_feedback_and_new_conversation(app, open_page):
    from playwright.sync_api import expect

    app.wait_until_indexed()
    page = open_page()
    shot(page, "02-empty")
    page.locator("#mdt-ask").click()
    expect(page.locator("#mdt-chat-status")).to_contain_text("Typ eerst een vraag.")

    page.get_by_role("button", name="Hoe benader ik een kleine gemeente?").click()  # an example question
    sources = page.locator("#mdt-sources")
    expect(sources.locator(".mdt-source").first).to_be_visible(timeout=60_000)
    card = sources.locator(".mdt-source", has_text=FACTSHEET).first
    expect(card).to_contain_text("pagina 5")
    expect(card.locator("mark")).to_contain_text("brede portefeuilles")
    assert "[1]" in last_answer(page) and "breed" in last_answer(page)
    link = card.locator("a").first
    href = link.get_attribute("href")
    assert href == "/corpus/samenwerken-met-gemeenten.pdf#page=5"
    assert link.get_attribute("target") == "_blank"
    pdf = page.request.get(app.url.rstrip("/") + href.split("#")[0])
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"
    shot(page, "03-answer")

    ask(page, "En bij een grote gemeente?")
    assert page.locator('#mdt-chatbot [data-testid="bot"]').count() == 2
    assert "smallere portefeuille" in last_answer(page)
    expect(sources).to_contain_text("smallere portefeuille")
    shot(page, "04-follow-up")

    page.locator('#mdt-chatbot button[aria-label="Vind ik niet leuk"], #mdt-chatbot button[aria-label="Dislike"]').last.click()
    expect(page.locator("#mdt-chat-status")).to_contain_text("beoordeling is opgeslagen")
    page.locator("#mdt-to-eval").click()
    expect(page.locator("#mdt-chat-status")).to_contain_text("Toegevoegd als evaluatievraag")
    expect(page.locator("#mdt-chat-status")).not_to_contain_text("/")  # no server path shown
    votes = [json.loads(line) for line in app.feedback.read_text(encoding="utf-8").splitlines()]
    assert votes[-1]["vote"] == "down" and votes[-1]["question"] == "En bij een grote gemeente?"
    from assistant.evaluation.sets import load_set

    assert [item.question for item in load_set(app.eval_cases)] == ["En bij een grote gemeente?"]
    shot(page, "05-feedback")

    ask(page, "Wat is de hoofdstad van Peru?")
    assert "staat niet in de documenten" in last_answer(page)
    expect(sources).to_contain_text("Geen bronnen")
    shot(page, "06-not-in-documents")

    page.locator("#mdt-new").click()
    expect(page.locator('#mdt-chatbot [data-testid="bot"]')).to_have_count(0)
    expect(sources.locator(".mdt-source")).to_have_count(0)


def test_email_tab_drafts_from_notes(app, open_page):
    from playwright.sync_api import expect

    app.wait_until_indexed()
    page = open_page()
    page.get_by_role("tab", name="E-mail").click()
    page.locator("#mdt-draft").click()
    expect(page.locator("#mdt-email-status")).to_contain_text("Plak eerst de aantekeningen")
    page.locator("#mdt-notes textarea").fill(NOTES)
    page.locator("#mdt-draft").click()
    expect(page.locator("#mdt-subject textarea, #mdt-subject input").first).not_to_have_value("", timeout=60_000)
    body = page.locator("#mdt-body textarea").input_value()
    assert body.startswith("Beste Petra,") and "Sanne stuurt de projectbeschrijving voor 20 maart" in body
    expect(page.locator("#mdt-tips .mdt-source").first).to_be_visible()
    assert page.locator("#mdt-subject button[aria-label*='opy'], #mdt-subject button[title*='opy']").count() >= 1
    shot(page, "07-email")


def mailto_fields(page) -> dict:
    """The subject and body in the 'open in your mail program' link, decoded."""
    href = page.locator("#mdt-mailto a").get_attribute("href")
    parts = urlsplit(href)
    assert parts.scheme == "mailto" and parts.path == "" and "\n" not in href, href
    return {key: values[0] for key, values in parse_qs(parts.query, keep_blank_values=True, strict_parsing=True).items()}


def test_email_tab_hands_the_draft_to_the_mail_program(app, open_page):
    """The draft as it stands in the boxes (edits included) opens in the mail program (mailto:), downloads
    as an .eml message and copies to the clipboard; the form of address can be chosen."""
    from playwright.sync_api import expect

    from assistant import eml_name, mailto_link

    app.wait_until_indexed()
    page = open_page()
    page.get_by_role("tab", name="E-mail").click()
    actions, link = page.locator("#mdt-mail-actions"), page.locator("#mdt-mailto a")
    subject_box, body_box = page.locator("#mdt-subject textarea, #mdt-subject input").first, page.locator("#mdt-body textarea")
    expect(page.locator("#mdt-register")).to_contain_text("Aanspreekvorm")
    expect(page.locator("#mdt-register input[value=auto]")).to_be_checked()
    expect(actions).to_be_hidden()  # nothing to hand over before there is a draft

    page.locator("#mdt-notes textarea").fill(NOTES)
    page.locator("#mdt-draft").click()
    expect(subject_box).not_to_have_value("", timeout=60_000)
    expect(page.locator("#mdt-email-status")).to_contain_text(re.compile(r"Concept klaar \(aanspreekvorm: (u|je)\)"))
    subject, body = subject_box.input_value(), body_box.input_value()
    assert "–" in subject and "én" in body and "\n" in body  # UTF-8 and line breaks to carry over
    expect(link).to_have_text("Openen in je mailprogramma")
    expect(link).to_have_attribute("href", mailto_link(subject, body))
    href = link.get_attribute("href")
    assert "%0D%0A" in href and "%E2%80%93" in href
    fields = mailto_fields(page)
    assert fields["subject"] == subject and fields["body"].replace("\r\n", "\n") == body
    expect(page.locator("#mdt-copy-mail")).to_have_text("Kopieer onderwerp en tekst")
    shot(page, "07b-email-actions")

    body_box.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\nPS: één ding nog – tot 15 mei!")  # the user edits the draft
    edited = body + "\nPS: één ding nog – tot 15 mei!"
    expect(body_box).to_have_value(edited)
    expect(link).to_have_attribute("href", mailto_link(subject, edited))  # the link follows the edit
    fields = mailto_fields(page)
    assert fields["subject"] == subject and fields["body"].replace("\r\n", "\n") == edited

    with page.expect_download() as download_info:
        page.locator("#mdt-eml").click()
    download = download_info.value
    assert download.suggested_filename == eml_name(subject) and download.suggested_filename.endswith(".eml")
    message = email.message_from_bytes(Path(download.path()).read_bytes(), policy=email.policy.default)
    assert message["Subject"] == subject and message["X-Unsent"] == "1"
    assert message.get_content() == edited + "\n"  # a text part ends in a line break

    page.locator("#mdt-copy-mail").click()
    expect(page.locator("#mdt-copy-status")).to_contain_text("Onderwerp en tekst gekopieerd.")
    assert page.evaluate("navigator.clipboard.readText()") == f"{subject}\n\n{edited}"

    subject_box.fill(subject + " (vervolg)")  # the subject too; the confirmation goes with the old text
    expect(link).to_have_attribute("href", mailto_link(subject + " (vervolg)", edited))
    expect(page.locator("#mdt-copy-status")).to_be_empty()

    page.locator("#mdt-notes textarea").fill(ALDERMAN_NOTES)  # an alderman: 'u' unless 'je' is chosen
    page.locator("#mdt-register").get_by_label("je", exact=True).check()
    page.locator("#mdt-draft").click()
    expect(body_box).to_have_value(re.compile(r"^Beste Marieke,"), timeout=60_000)
    expect(page.locator("#mdt-email-status")).to_contain_text("Concept klaar (aanspreekvorm: je)")
    body = body_box.input_value()
    assert "Wil je" in body and "Ik houd je" in body and "Wilt u" not in body
    expect(link).to_have_attribute("href", mailto_link(subject_box.input_value(), body))

    page.locator("#mdt-register").get_by_label("automatisch", exact=True).check()
    page.locator("#mdt-draft").click()
    expect(body_box).to_have_value(re.compile(r"^Beste wethouder Bakker,"), timeout=60_000)
    expect(page.locator("#mdt-email-status")).to_contain_text("Concept klaar (aanspreekvorm: u)")
    body = body_box.input_value()
    assert "Wilt u" in body and "Ik houd u" in body and "Wil je" not in body
    expect(link).to_have_attribute("href", mailto_link(subject_box.input_value(), body))

    page.get_by_label("English").check()  # the new labels follow the language; the choice stays
    expect(link).to_have_text("Open in your mail program")
    expect(page.locator("#mdt-copy-mail")).to_have_text("Copy subject and body")
    expect(page.locator("#mdt-eml")).to_contain_text("Download as .eml")
    expect(page.locator("#mdt-register")).to_contain_text("Form of address")
    expect(page.locator("#mdt-register input[value=auto]")).to_be_checked()
    expect(link).to_have_attribute("href", mailto_link(subject_box.input_value(), body))


def test_uploaded_documents_are_indexed_answered_and_shown_inert(app, open_page, tmp_path):
    from playwright.sync_api import expect

    app.wait_until_indexed()
    (tmp_path / "dinkelland.md").write_text(DINKELLAND, encoding="utf-8")
    (tmp_path / "veiligheidstest.md").write_text(XSS, encoding="utf-8")
    (tmp_path / "kapot.pdf").write_bytes(b"%PDF-1.4 dit is geen echte PDF")
    page = open_page()
    page.get_by_role("tab", name="Documenten").click()
    docs = page.locator("#mdt-docs")
    expect(docs).to_contain_text(FACTSHEET)
    page.locator("#mdt-upload input[type=file]").set_input_files(
        [str(tmp_path / name) for name in ("dinkelland.md", "veiligheidstest.md", "kapot.pdf")])
    expect(page.locator("#mdt-upload tr", has_text="veiligheidstest")).to_have_count(1)
    expect(page.locator("#mdt-upload tr", has_text="dinkelland")).to_have_count(1)
    page.locator("#mdt-upload-button").click()
    expect(page.locator("#mdt-upload-status")).to_contain_text("Toegevoegd", timeout=90_000)
    expect(page.locator("#mdt-upload-status")).to_contain_text("7 documenten")
    expect(page.locator("#mdt-upload-status")).to_contain_text("Niet gelukt: kapot.pdf: not a readable PDF")
    expect(docs.locator(".mdt-failed")).to_contain_text("kapot.pdf")
    assert (app.corpus / "dinkelland.md").is_file() and (app.corpus / "veiligheidstest.md").is_file()
    expect(docs).to_contain_text("MDT in Dinkelland")
    expect(docs).to_contain_text(XSS_TITLE)  # the title as text
    shot(page, "08-documents")

    page.get_by_role("tab", name="Vragen").click()
    ask(page, "Hoe heet de MDT-coördinator van Dinkelland?")
    assert "Femke Jansen" in last_answer(page)
    card = page.locator("#mdt-sources .mdt-source", has_text="MDT in Dinkelland").first
    expect(card.locator("mark")).to_contain_text("Femke Jansen")
    shot(page, "09-uploaded-answer")
    # a document without pages: the link opens its text at the cited section, the quote highlighted
    link = card.get_by_role("link", name="Toon de passage in het document")
    view = page.context.new_page()
    view.goto(app.url.rstrip("/") + link.get_attribute("href"))
    expect(view.locator("section.cited h2")).to_have_text("MDT in Dinkelland")
    expect(view.locator("mark#mdt-quote")).to_contain_text("Femke Jansen")
    assert "#" not in view.locator("body").inner_text()  # markdown as text, not its syntax
    view.screenshot(path=str(ARTIFACTS / "web-09b-passage-view.png"))
    view.close()

    ask(page, "Wat controleert het testbureau Zwanenburg?")
    card = page.locator("#mdt-sources .mdt-source", has_text="Zwanenburg").first
    expect(card).to_contain_text("<script>window.__xss=1</script>")
    expect(card).to_contain_text("vet link")  # markdown's marks go, its link target with them
    expect(card).to_contain_text(XSS_TITLE)
    page.wait_for_timeout(500)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.locator("#mdt-sources script, #mdt-sources img, #mdt-chatbot img").count() == 0
    shot(page, "10-inert")



def _upload(page, path, says: str) -> None:
    """Upload one file in the documents tab and wait until the status says `says`."""
    from playwright.sync_api import expect

    page.locator("#mdt-upload input[type=file]").set_input_files(str(path))
    page.locator("#mdt-upload-button").click()
    expect(page.locator("#mdt-upload-status")).to_contain_text(says, timeout=90_000)


def _remove(page, name: str, says: str) -> None:
    """Remove a document in the documents tab, confirmed, and wait until the status says `says`."""
    from playwright.sync_api import expect

    _choose_document(page, name)
    page.locator("#mdt-remove").click()
    page.locator("#mdt-remove-yes").click()
    expect(page.locator("#mdt-upload-status")).to_contain_text(says, timeout=90_000)


def _choose_document(page, name: str) -> None:
    page.locator("#mdt-doc-choice input").click()
    page.get_by_role("option", name=name, exact=True).click()


def test_documents_are_replaced_and_removed_and_the_answers_follow(app, open_page, tmp_path):
    from playwright.sync_api import expect

    app.wait_until_indexed()
    question = "Wie is de MDT-contactpersoon van wijkteam Oosterpark?"
    first = tmp_path / "v1" / "wijkteam-oosterpark.md"
    second = tmp_path / "v2" / "wijkteam-oosterpark.md"
    for path, person in ((first, "Karim Bouali"), (second, "Noor Willems")):
        path.parent.mkdir()
        path.write_text(f"# Wijkteam Oosterpark\n\nDe MDT-contactpersoon van wijkteam Oosterpark is {person}. "
                        f"{person.split()[0]} helpt jongeren uit de wijk bij hun eerste stap naar een MDT-project.\n",
                        encoding="utf-8")
    page = open_page()
    status = page.locator("#mdt-upload-status")
    page.get_by_role("tab", name="Documenten").click()
    _upload(page, first, "Toegevoegd: wijkteam-oosterpark.md")
    page.get_by_role("tab", name="Vragen").click()
    ask(page, question)
    assert "Karim Bouali" in last_answer(page)

    # the same name again: the page says it replaces the document, and the answer follows the new one
    page.get_by_role("tab", name="Documenten").click()
    page.locator("#mdt-upload input[type=file]").set_input_files(str(second))
    page.locator("#mdt-upload-button").click()
    expect(status).to_contain_text("Dit vervangt wijkteam-oosterpark.md", timeout=30_000)
    expect(status).to_contain_text("Vervangen: wijkteam-oosterpark.md", timeout=90_000)
    row = page.locator("#mdt-docs tr", has_text="wijkteam-oosterpark.md")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Geïndexeerd")
    page.get_by_role("tab", name="Vragen").click()
    ask(page, question)
    assert "Noor Willems" in last_answer(page) and "Karim" not in last_answer(page)

    # removal asks first; cancelled, nothing happens
    page.get_by_role("tab", name="Documenten").click()
    _choose_document(page, "wijkteam-oosterpark.md")
    page.locator("#mdt-remove").click()
    confirm = page.locator("#mdt-confirm")
    expect(confirm).to_contain_text("wijkteam-oosterpark.md wordt uit de documentenmap en de index verwijderd")
    page.locator("#mdt-remove-no").click()
    expect(confirm).to_be_hidden()
    assert (app.corpus / "wijkteam-oosterpark.md").is_file()
    shot(page, "08b-remove-cancelled")
    page.locator("#mdt-remove").click()
    page.locator("#mdt-remove-yes").click()
    expect(status).to_contain_text("Verwijderd: wijkteam-oosterpark.md", timeout=90_000)
    expect(confirm).to_be_hidden()
    expect(page.locator("#mdt-docs tr", has_text="wijkteam-oosterpark.md")).to_have_count(0)
    assert not (app.corpus / "wijkteam-oosterpark.md").exists()
    page.get_by_role("tab", name="Vragen").click()
    ask(page, question)
    assert "Noor Willems" not in last_answer(page) and "Karim" not in last_answer(page)


def test_a_failed_upload_is_shown_once_with_its_reason_and_not_retried(app, open_page, tmp_path):
    from playwright.sync_api import expect

    app.wait_until_indexed()
    broken = tmp_path / "scan-stuk.pdf"
    broken.write_bytes(b"%PDF-1.4 afgebroken tijdens het downloaden")
    good = tmp_path / "jongerenraad.md"
    good.write_text("# Jongerenraad\n\nDe jongerenraad van Oosterpark adviseert de wethouder over MDT.\n",
                    encoding="utf-8")
    page = open_page()
    status = page.locator("#mdt-upload-status")
    page.get_by_role("tab", name="Documenten").click()
    _upload(page, broken, "Niet gelukt: scan-stuk.pdf: not a readable PDF")
    failed_row = page.locator("#mdt-docs tr.mdt-failed", has_text="scan-stuk.pdf")
    expect(failed_row).to_contain_text("Niet gelukt: not a readable PDF")

    # the next upload does not read it again, nor report it again
    _upload(page, good, "Toegevoegd: jongerenraad.md")
    expect(status).not_to_contain_text("scan-stuk")
    (again,) = [f for f in app.status()["failed"] if f["source"] == "scan-stuk.pdf"]
    assert again["not_retried"] is True
    expect(failed_row).to_have_count(1)  # still listed, with its reason, in the documents list
    shot(page, "08c-failed-once")

    # a failed file can be removed from the folder like any other
    _remove(page, "scan-stuk.pdf", "Indexeren klaar")
    expect(failed_row).to_have_count(0)
    assert not (app.corpus / "scan-stuk.pdf").exists()
    _remove(page, "jongerenraad.md", "Verwijderd: jongerenraad.md")  # tidy: the other tests' corpus as it was


def test_the_chat_shows_the_start_of_a_new_answer(app, open_page):
    """After several answers the chat overflows; a new answer is shown from its first line (the question
    above it at the top), not scrolled to its end."""
    app.wait_until_indexed()
    page = open_page()
    for question in ("Hoe benader ik een kleine gemeente?", "Wat doet een regiofacilitator?",
                     "Hoe houd ik de relatie met de gemeente warm?", "Wat zijn de drie pijlers van MDT?"):
        ask(page, question)
    page.wait_for_timeout(500)
    box, lead = page.evaluate("""() => {
        const bots = document.querySelectorAll('#mdt-chatbot [data-testid="bot"]');
        const bot = bots[bots.length - 1];
        let box = bot.parentElement;
        while (box && !(['auto', 'scroll'].includes(getComputedStyle(box).overflowY) && box.scrollHeight > box.clientHeight))
            box = box.parentElement;
        const b = box.getBoundingClientRect(), m = bot.getBoundingClientRect();
        return [[b.top, b.bottom], [m.top, m.top + 20]]; }""")
    assert box[0] <= lead[0] and lead[1] <= box[1], f"the answer's first line is out of sight: {lead} in {box}"
    shot(page, "11-answer-start")


def test_on_a_phone_the_question_box_is_full_width_and_the_sources_follow_the_answer(app, open_page):
    app.wait_until_indexed()
    page = open_page(viewport={"width": 390, "height": 844})
    ask(page, "Hoe benader ik een kleine gemeente?")
    box = lambda selector: page.locator(selector).first.bounding_box()  # noqa: E731
    question, button, sources = box("#mdt-question textarea"), box("#mdt-ask"), box("#mdt-sources")
    chat, examples = box("#mdt-chatbot"), box(".mdt-examples")
    assert question["width"] >= 280 and button["width"] >= 280, (question, button)  # not squeezed side by side
    assert button["y"] >= question["y"] + question["height"] - 1, "the button below the question box"
    assert chat["y"] < question["y"] < sources["y"] < examples["y"], "chat, question, sources, then examples"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "nothing wider than the phone"
    shot(page, "12-phone")


# Gradio's own strings in English, as an English-language browser would show them by default.
GRADIO_ENGLISH = ["Drop File Here", "Click to Upload", "Copy message", "Clear", "Submit", "Loading", "Like",
                  "Dislike", "Retry", "Undo", "Remove", "Download", "or"]


def _shown_strings(page) -> list[str]:
    """Every text a user sees or hears on the page: visible text, and the labels and tooltips of controls."""
    return page.evaluate("""() => {
      const out = [];
      for (const el of document.querySelectorAll('body *')) {
        const box = el.getBoundingClientRect();
        if (!box.width || !box.height || getComputedStyle(el).visibility === 'hidden') continue;
        for (const a of ['aria-label', 'title', 'placeholder']) if (el.getAttribute(a)) out.push(el.getAttribute(a));
        for (const node of el.childNodes) if (node.nodeType === 3 && node.textContent.trim()) out.push(node.textContent.trim());
      }
      return out; }""")


@pytest.mark.parametrize("viewport, name", [({"width": 1366, "height": 900}, "desktop"),
                                             ({"width": 390, "height": 844}, "phone")])
def test_a_dutch_page_shows_only_dutch_whatever_the_browser_language(app, open_page, viewport, name):
    from playwright.sync_api import expect

    app.wait_until_indexed()
    page = open_page(viewport=viewport, locale="en-US")  # an English browser: Gradio would speak English
    long_question = ("Hoe benader ik een kleine gemeente? Wij zijn een kleine stichting met weinig tijd en willen "
                     "weten hoe we het eerste gesprek voeren met een beleidsmedewerker die veel onderwerpen doet.")
    ask(page, long_question)
    ask(page, "Wat zijn de drie pijlers van MDT en hoe leg ik die uit aan een wethouder die er nooit van hoorde?")
    # the chat's label never covers the question at the top of the conversation
    label = page.locator('#mdt-chatbot [data-testid="block-label"]').bounding_box()
    asked = page.locator('#mdt-chatbot [data-testid="user"]').last.bounding_box()
    assert label["y"] + label["height"] <= asked["y"], (label, asked)
    expect(page.locator('#mdt-chatbot button[aria-label="Bericht kopiëren"]').first).to_be_attached()
    chat_strings = _shown_strings(page)
    shot(page, f"13-dutch-{name}")
    page.get_by_role("tab", name="Documenten").click()
    expect(page.locator("#mdt-upload")).to_contain_text("Sleep een bestand hier")
    # the documents list fits the screen (on a phone: one card per document, each figure with its label)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    if name == "phone":
        cell = page.locator("#mdt-docs tr", has_text="samenwerken-met-gemeenten.pdf").locator("td").nth(4)
        assert cell.inner_text() == "20"
        assert cell.evaluate("td => getComputedStyle(td, '::before').content") == '"Passages: "'
    shot(page, f"14-dutch-documents-{name}")
    shown = chat_strings + _shown_strings(page)
    english = sorted({s for s in shown for word in GRADIO_ENGLISH if s.strip(" .…-").lower() == word.lower() or
                      (len(word) > 6 and word.lower() in s.lower())})
    assert not english, english

    # the page switched to English: Gradio's strings follow
    page.get_by_label("English").check()
    expect(page.locator("#mdt-upload")).to_contain_text("Drop File Here")
    page.get_by_role("tab", name="Questions").click()
    expect(page.locator('#mdt-chatbot button[aria-label="Copy message"]').first).to_be_attached()
    assert "Hoe benader ik een kleine gemeente?" in page.locator("#mdt-chatbot").inner_text()  # the conversation stays


def test_english_interface(app, open_page):
    from playwright.sync_api import expect

    page = open_page("?lang=en")
    expect(page.locator("#mdt-ask")).to_have_text("Ask")
    expect(page.get_by_role("tab", name="Documents")).to_be_visible()
    page.locator("#mdt-ask").click()
    expect(page.locator("#mdt-chat-status")).to_contain_text("Type a question first.")
    shot(page, "11-english")
    page.get_by_label("Nederlands").check()
    expect(page.locator("#mdt-ask")).to_have_text("Vraag stellen")


def test_sessions_keep_separate_conversations(app):
    from gradio_client import Client

    app.wait_until_indexed()
    first = Client(app.url, verbose=False)
    second = Client(app.url, verbose=False)
    first.predict("Hoe benader ik een kleine gemeente?", "nl", api_name="/ask")
    second.predict("Wie neem ik mee naar een gesprek met een wethouder?", "nl", api_name="/ask")
    chat_first, *_ = first.predict("En bij een grote gemeente?", "nl", api_name="/ask")
    chat_second, *_ = second.predict("Wat zet ik in een follow-up mail?", "nl", api_name="/ask")

    def text(message) -> str:  # the Markdown of a message, its escapes undone
        content = message["content"]
        content = content if isinstance(content, str) else " ".join(part.get("text", "") for part in content)
        return re.sub(r"\\(.)", r"\1", content)

    def questions(chat):
        return [text(message) for message in chat if message["role"] == "user"]

    assert questions(chat_first) == ["Hoe benader ik een kleine gemeente?", "En bij een grote gemeente?"]
    assert questions(chat_second) == ["Wie neem ik mee naar een gesprek met een wethouder?",
                                      "Wat zet ik in een follow-up mail?"]
    assert "smallere portefeuille" in text(chat_first[-1])


def test_corpus_route_serves_only_corpus_files(app):
    def status(path: str) -> int:
        try:
            with urllib.request.urlopen(app.url.rstrip("/") + path, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    assert status("/corpus/samenwerken-met-gemeenten.pdf") == 200
    for path in ("/corpus/..%2F..%2Fetc%2Fpasswd", "/corpus/%2Fetc%2Fpasswd", "/corpus/../app.log",
                 "/corpus/..%2Fapp.log", "/corpus/nope.pdf", "/corpus/"):
        assert status(path) == 404, path


def test_no_request_leaves_this_computer(browser):
    assert REQUESTS, "the browser tests recorded no requests"
    outside = sorted({url for url in REQUESTS
                      if urlparse(url).scheme not in ("data", "blob", "about") and urlparse(url).hostname != "127.0.0.1"})
    assert not outside, f"requests to other hosts: {outside}"


def test_twenty_concurrent_sessions_each_get_their_own_answers(app):
    """20 browser sessions at once through the app's API: every one gets its own, correct answer and
    its own follow-up, with no errors; the queue (4 at a time) keeps the app's memory bounded."""
    from concurrent.futures import ThreadPoolExecutor

    from gradio_client import Client

    app.wait_until_indexed()
    cases = [
        ("Hoe benader ik een kleine gemeente?", "brede portefeuilles", "En bij een grote gemeente?", "smallere portefeuille"),
        ("Wat zet ik in een follow-up mail?", "follow-up mail", None, None),
        ("Wat zijn de drie pijlers van MDT?", "talentontwikkeling", None, None),
        ("Hoe wordt de regiofacilitator gefinancierd?", "OCW", None, None),
    ]

    def text(message) -> str:
        content = message["content"]
        content = content if isinstance(content, str) else " ".join(part.get("text", "") for part in content)
        return re.sub(r"\\(.)", r"\1", content)

    def session(n: int):
        question, expected, follow_up, expected_follow_up = cases[n % len(cases)]
        client = Client(app.url, verbose=False)
        chat, *_ = client.predict(question, "nl", api_name="/ask")
        answers = [text(chat[-1])]
        if follow_up:
            chat, *_ = client.predict(follow_up, "nl", api_name="/ask")
            answers.append(text(chat[-1]))
        asked = [text(m) for m in chat if m["role"] == "user"]
        return n, asked, answers

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(session, range(20), timeout=600))
    for n, asked, answers in results:
        question, expected, follow_up, expected_follow_up = cases[n % len(cases)]
        assert asked == [question] + ([follow_up] if follow_up else []), f"session {n} saw another's questions"
        assert expected in answers[0], f"session {n}: {answers[0][:120]}"
        if follow_up:
            assert expected_follow_up in answers[1], f"session {n} follow-up: {answers[1][:120]}"
    status = (Path(f"/proc/{app.process.pid}/status").read_text() if app.process else "")
    peak = next((line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")), "?")
    print(f"app peak RSS after 20 concurrent sessions: {peak} kB")
