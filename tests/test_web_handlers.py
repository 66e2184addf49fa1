"""The page's handlers called directly: no browser, no HTTP server, over the bundled corpus."""
from __future__ import annotations

import email
import email.policy
import html
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from assistant import FeedbackStore
from assistant.web.handlers import KEEP, ChatSession, WebHandlers
from assistant.web.indexer import Indexer
from helpers import TUBBERGEN_NOTES

QUESTION = "Hoe benader ik een kleine gemeente?"
NOTES = TUBBERGEN_NOTES
ALDERMAN_NOTES = """Overleg wethouder Bakker (Hof van Twente) 4 april
aanwezig: wethouder Marieke Bakker, Youssef El Amrani (beleidsadviseur), onze directeur Linda, ik
* wethouder enthousiast over MDT voor jongeren zonder startkwalificatie
Linda stuurt de maatschappelijke businesscase voor 1 mei
Volgende afspraak: 15 mei 14:00 gemeentehuis Goor
"""


@pytest.fixture
def web(bundled, tmp_path) -> WebHandlers:
    """Handlers over the indexed bundled corpus; votes and evaluation cases in this test's folder."""
    return WebHandlers(bundled, Indexer(bundled), votes=FeedbackStore(tmp_path / "feedback.jsonl"),
                       cases_file=tmp_path / "from-feedback.yaml")


def answered(web: WebHandlers, question: str, lang: str = "nl", session=None):
    """Every update of one question: the last is the answer."""
    updates = list(web.ask(question, lang, session))
    assert updates, "ask yields at least one update"
    return updates


def test_a_question_gets_a_cited_answer_with_its_sources(web):
    updates = answered(web, QUESTION)
    messages, sources, question, status, session = updates[-1]
    assert isinstance(session, ChatSession)
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert messages[0]["content"] == QUESTION
    reply = messages[1]["content"]
    assert "brede portefeuilles" in reply and "[1]" in reply
    assert "**Bronnen:** [1] Hoe werk je als MDT-organisatie effectief samen met gemeenten?, pagina " in reply
    assert '<div class="mdt-source" id="bron-1" data-source="samenwerken-met-gemeenten.pdf" data-page="' in sources
    assert 'href="/corpus/samenwerken-met-gemeenten.pdf#page=' in sources and "Open het document op pagina " in sources
    assert re.search(r"<mark>[^<]*brede portefeuilles", sources)
    assert question == "" and status == ""
    assert "Bezig met zoeken in de documenten" in updates[0][3]  # the first update says it is searching
    assert session.messages == messages and session.answers[1]["question"] == QUESTION
    assert session.answers[1]["citations"][0]["source"] == "samenwerken-met-gemeenten.pdf"


def test_an_empty_or_overlong_question_is_answered_with_a_notice(web):
    (messages, sources, question, status, session), = answered(web, "   \n ")
    assert messages == [] and sources is KEEP and question is KEEP
    assert status == '<div class="mdt-banner info" role="status">Typ eerst een vraag.</div>'
    (_, _, _, status, _), = answered(web, "Why? " * 500, lang="en")
    assert "This question is too long (2500 characters; at most 2000). Shorten it." in status
    assert 'class="mdt-banner error"' in status


def test_while_indexing_the_question_waits_and_is_kept(bundled, tmp_path):
    class Busy:  # an indexer still at its first run, at document 2 of 5
        ready, running, last = False, True, (None, None)

        def progress_text(self):
            return " (2/5)"

    web = WebHandlers(bundled, Busy(), votes=FeedbackStore(tmp_path / "votes.jsonl"))
    (messages, _, question, status, _), = answered(web, QUESTION)
    assert messages == [] and question == QUESTION
    assert "Even geduld: de documenten worden nog geïndexeerd (2/5). Stel uw vraag zo opnieuw." in status


def test_english_labels_and_panels(web, bundled):
    from assistant.web.layout import build_app
    from assistant.web.render import labels

    assert labels("en")["ask"] == "Ask" and labels("nl")["ask"] == "Vraag stellen"
    assert labels("de")["ask"] == "Vraag stellen"  # any other language: Dutch
    assert web.page_language("EN") == "en" and web.page_language("fr") == "nl" and web.page_language(None) == "nl"
    sources, _, docs = web.panels("en", None)
    assert "<h3>Sources</h3>" in sources and "The sources of the answer appear here" in sources
    assert "<th>Title</th>" in docs and "These are the documents the assistant answers from." in docs
    assert docs.count("<tr>") == 6  # a header and the five bundled documents
    # The language switch of the page itself (layout.py), called without a browser.
    demo = build_app(bundled, indexer=web.indexer, index_on_start=False)
    relabel = next(f.fn for f in demo.fns.values() if f.name == "relabel")
    updates = relabel("en", None)
    assert updates[0] == "<h1>MDT-assistent</h1><p>Answers from the MDT documents, with sources. " \
                         "Everything stays on this computer.</p>"
    assert updates[6]["label"] == "Your question" and updates[7]["value"] == "Ask"
    assert updates[8] == "**Example questions** (click to ask):"
    assert "<h3>Sources</h3>" in updates[-3]  # then the index status and the documents
    register, copy, eml, link = updates[-11:-7]
    assert register["label"] == "Form of address" and register["choices"][0] == ("automatic", "auto")
    assert copy["value"] == "Copy subject and body" and eml["label"] == "Download as .eml" and link == ""
    choice, remove, yes, no = updates[-7:-3]
    assert choice["label"] == "Remove a document" and remove["value"] == "Remove…"
    assert yes["value"] == "Yes, remove" and no["value"] == "Cancel"
    link = relabel("en", None, "Onderwerp", "Tekst")[-8]
    assert ">Open in your mail program</a>" in link and 'href="mailto:?subject=Onderwerp&amp;body=Tekst"' in link


def test_an_english_question_has_english_labels(web):
    messages, sources, *_ = answered(web, "How do I approach a small municipality?", lang="en")[-1]
    reply = messages[-1]["content"]
    assert "**Sources:** [1]" in reply and ", page " in reply and "pagina" not in reply.split("**Sources:**")[1]
    assert "<h3>Sources</h3>" in sources and "Open the document at page" in sources


def test_a_draft_email_from_notes(web):
    subject, body, tips, status = web.draft_email(NOTES, "nl")
    assert subject == "Opvolging gesprek MDT – gemeente Tubbergen, 12 maart"
    assert "Petra" in body and "projectbeschrijving" in body
    assert tips.startswith('<div class="mdt-sources"><h3>Tips uit de documenten</h3>')
    # short quotes, each with the part of the draft that applies it; not whole pages
    assert "Toegepast in: de samenvatting" in tips and "Toegepast in: het warm houden van de relatie" in tips
    quotes = re.findall(r'<blockquote class="mdt-passage">(.*?)</blockquote>', tips, re.S)
    assert quotes and all(len(q) < 400 for q in quotes), [len(q) for q in quotes]
    assert "Concept klaar" in status or 'class="mdt-banner warn"' in status
    assert web.draft_email("  ", "nl") == (KEEP, KEEP, KEEP, '<div class="mdt-banner info" role="status">'
                                                             'Plak eerst de aantekeningen van het gesprek.</div>')
    *_, status = web.draft_email("x" * 20001, "en")
    assert "These notes are too long (20001 characters; at most 20000)." in status


def test_the_register_can_be_chosen_and_is_shown(web):
    _, body, _, status = web.draft_email(ALDERMAN_NOTES, "nl", "auto")
    assert body.startswith("Beste wethouder Bakker,") and "Wilt u" in body and "Wil je" not in body
    assert "Concept klaar (aanspreekvorm: u)." in status and 'class="mdt-banner ok"' in status
    _, body, _, status = web.draft_email(ALDERMAN_NOTES, "nl", "je")
    assert "Wil je" in body and "Ik houd je op de hoogte" in body and "Wilt u" not in body
    assert "Concept klaar (aanspreekvorm: je)." in status
    *_, status = web.draft_email(ALDERMAN_NOTES, "en", "u")
    assert "Draft ready (form of address: u)." in status


def test_a_draft_goes_to_the_mail_program_as_it_stands(web, bundled):
    assert web.mail_actions("", "  ", "nl") == (False, "", None, "")  # no draft: nothing to open or download
    subject, body, _, _ = web.draft_email(NOTES, "nl")
    body += "\nPS: één vraag – nog één regel & 100% zeker?"  # as the user edited it
    visible, link, eml, copied = web.mail_actions(subject, body, "nl")
    assert visible is True and copied == ""
    assert ">Openen in je mailprogramma</a>" in link
    href = html.unescape(re.search(r'href="([^"]*)"', link).group(1))
    parts = urlsplit(href)
    assert parts.scheme == "mailto" and parts.path == "" and "%0D%0A" in href and "\n" not in href
    query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
    assert query == {"subject": [subject], "body": [body.replace("\n", "\r\n")]}
    path = Path(eml)
    assert path.name == "opvolging-gesprek-mdt-gemeente-tubbergen-12-maart.eml"
    for folder in (bundled.config.corpus_dir, bundled.config.index_dir):
        assert not path.resolve().is_relative_to(Path(folder).resolve())
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["Subject"] == subject and message["X-Unsent"] == "1"
    assert message.get_content() == body + "\n"  # a text part ends in a line break
    assert web.mail_actions(subject, body, "en")[2] == eml  # the same text: the same file
    assert web.mail_actions(subject, body + "!", "en")[2] != eml


def test_a_forged_upload_path_is_refused(web, bundled, tmp_path):
    secret = tmp_path / "geheim-verslag.md"
    secret.write_text("# Geheim\n\nHet wachtwoord is paars-olifant-42.\n", encoding="utf-8")
    before = sorted(p.name for p in bundled.config.corpus_dir.iterdir())
    (docs, status, files, choices), = list(web.documents.upload([str(secret)], "nl"))
    assert docs is KEEP and files is None and choices is KEEP
    assert "geheim-verslag.md: niet aangenomen (not an uploaded file)." in status and "mdt-banner error" in status
    assert sorted(p.name for p in bundled.config.corpus_dir.iterdir()) == before
    assert web.indexer.ready and not web.indexer.running  # nothing to index
    (_, status, files, _), = list(web.documents.upload([], "en"))
    assert "Choose a file first." in status and files is KEEP
    # removal takes only a name the corpus folder lists: no path leads out of it
    for forged in (str(secret), "../index/failed.json", "geheim-verslag.md", ""):
        assert web.documents.ask_remove(forged, "nl")[0] is False
        (_, status, visible, _), = list(web.documents.remove(forged, "nl"))
        assert "Kies eerst een document." in status and visible is False
    assert secret.is_file() and sorted(p.name for p in bundled.config.corpus_dir.iterdir()) == before


def test_votes_are_recorded_and_a_downvote_becomes_an_evaluation_case(web):
    session = answered(web, QUESTION)[-1][-1]
    assert web.vote("nl", session, 0, False) == (KEEP, KEEP)  # the question itself: no answer to rate
    status, visible = web.vote("nl", session, 1, False)
    assert "Bedankt, uw beoordeling is opgeslagen." in status and visible is True
    status, visible = web.vote("nl", session, 1, True)
    assert "Bedankt! Uw waardering is opgeslagen." in status and visible is False
    web.vote("nl", session, 1, False)
    entries = [json.loads(line) for line in web.votes.path.read_text(encoding="utf-8").splitlines()]
    assert [e["vote"] for e in entries] == ["down", "up", "down"]
    assert {e["question"] for e in entries} == {QUESTION} and {e["session"] for e in entries} == {session.id}
    assert entries[0]["citations"][0]["source"] == "samenwerken-met-gemeenten.pdf"
    assert "Toegevoegd als evaluatievraag" in web.to_eval("nl", session)
    assert "This question is already evaluation question" in web.to_eval("en", session)
    assert QUESTION in web.cases_file.read_text(encoding="utf-8")
    messages, sources, question, status, visible, same = web.new_conversation("nl", session)
    assert same is session and messages == [] and session.answers == {} and visible is False
    assert "Nieuw gesprek gestart." in status and "Hier verschijnen de bronnen" in sources
    assert "Er is nog geen afgekeurd antwoord" in web.to_eval("nl", session)
