"""Follow-up e-mails from realistic meeting notes: every agreement, owner and date kept, nothing invented."""
from __future__ import annotations

import json
import re

import pytest

from assistant.email.rewrite import unsupported_facts
from assistant.errors import NotesError
from assistant.email.notes import DATE

SMALL_MUNICIPALITY = """Eerste gesprek gemeente Tubbergen, 12 maart
Aanwezig: Petra de Vries (beleidsmedewerker jeugd), Sanne (wij)
- kleine gemeente, Petra doet jeugd, sport én welzijn
- interesse in MDT voor statushouders
- budget krap, misschien via preventieakkoord
Afspraken:
- Sanne stuurt de projectbeschrijving voor 20 maart
- Petra checkt of er ruimte is in het preventiebudget
Open vragen:
- wie is contactpersoon bij de regio?
"""

ALDERMAN = """Overleg wethouder Bakker (Hof van Twente) 4 april
aanwezig: wethouder Marieke Bakker, Youssef El Amrani (beleidsadviseur), onze directeur Linda, ik
* wethouder enthousiast over MDT voor jongeren zonder startkwalificatie
* wil eerst cijfers zien, businesscase?
Linda stuurt de maatschappelijke businesscase voor 1 mei
Youssef plant een werkbezoek bij ons project in juni
Volgende afspraak: 15 mei 14:00 gemeentehuis Goor
"""

MESSY_ENGLISH = """mtg w/ school - Ichthus College, tues 3 june
present: Mr. Peters (team leader mbo), me
- they want MDT for students doing internships?? not sure how
- talked about the 3 pillars, he liked 'meeting others'
Peters will send the list of interested students by June 14
we send our impact story before the summer
- open: who pays for the coaching hours?
"""


def _agreement_lines(notes: str) -> list[str]:
    return [line.strip(" -*") for line in notes.splitlines() if re.search(r"\b(stuurt|plant|checkt|will send|we send)\b", line)]


@pytest.mark.parametrize("notes, language, greeting", [
    (SMALL_MUNICIPALITY, "nl", "Beste Petra,"),
    (ALDERMAN, "nl", "Beste Marieke,"),
    (MESSY_ENGLISH, "en", "Dear Mr. Peters,"),
])
def test_drafts_keep_every_agreement_and_invent_nothing(bundled, notes, language, greeting):
    draft = bundled.email(notes)
    assert draft.language == language and draft.mode == "template"
    assert draft.body.startswith(greeting)
    for line in _agreement_lines(notes):
        assert line in draft.body, f"agreement missing: {line}"
    for date in DATE.findall(notes):
        assert date in draft.body + draft.subject, f"date missing: {date}"
    assert not unsupported_facts(draft.subject + "\n" + draft.body, notes), "nothing that is not in the notes"
    call_to_action = "laten weten" if language == "nl" else "let me know"
    assert call_to_action in draft.body and ("[datum]" in draft.body or "[date]" in draft.body)
    assert draft.subject and draft.subject.split(":")[0] in ("Opvolging van ons gesprek", "Follow-up of our meeting")


def test_missing_owner_or_date_becomes_a_visible_placeholder(bundled):
    draft = bundled.email(SMALL_MUNICIPALITY)
    assert "Petra checkt of er ruimte is in het preventiebudget (wanneer: [datum])" in draft.body
    assert "wie is contactpersoon bij de regio?" in draft.body, "open questions are listed"
    assert "vervolgafspraak" in draft.body, "no next meeting in the notes: a proposed next step with a placeholder"


def test_next_meeting_from_the_notes(bundled):
    draft = bundled.email(ALDERMAN)
    assert "15 mei 14:00 gemeentehuis Goor" in draft.body


def test_tips_cite_the_factsheet_page_on_follow_up(bundled):
    draft = bundled.email(SMALL_MUNICIPALITY)
    follow_up = [c for c in draft.citations if c.source == "samenwerken-met-gemeenten.pdf" and c.page == 8]
    assert follow_up and "follow-up mail" in follow_up[0].quote
    assert any("brede portefeuilles" in c.quote for c in draft.citations), "small municipality advice"
    alderman = bundled.email(ALDERMAN)
    assert any("directeur" in c.quote for c in alderman.citations), "bring your director to an alderman"


@pytest.mark.parametrize("notes, message", [
    ("", "empty"),
    ("   \n\t ", "empty"),
    ("x" * 50_000, "too long"),
    ("Réunion avec la mairie de Lille. Nous avons parlé du budget pour les jeunes et la mairie va envoyer "
     "le document avant la fin du mois. Prochaine réunion le douze mai à la mairie avec le maire.", "not in Dutch or English"),
])
def test_bad_notes_get_a_clear_message(bundled, notes, message):
    with pytest.raises(NotesError, match=message):
        bundled.email(notes)


def test_cli_email_follows_the_contract(bundled, tmp_path):
    from helpers import run_cli

    env = {"MDT_CORPUS_DIR": str(bundled.config.corpus_dir), "MDT_INDEX_DIR": str(bundled.config.index_dir)}
    done = run_cli("email", "--notes", "-", "--json", env_extra=env, input=ALDERMAN)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result) >= {"subject", "body", "citations"} and result["citations"][0]["page"]
    empty = run_cli("email", "--notes", "-", env_extra=env, input="")
    assert empty.returncode == 2 and "empty" in empty.stderr
    missing = run_cli("email", "--notes", str(tmp_path / "none.txt"), env_extra=env)
    assert missing.returncode == 2 and "cannot read the notes file" in missing.stderr


def test_unsupported_facts_finds_invented_names_and_dates():
    notes = "Gesprek met Petra. Sanne stuurt de begroting voor 1 maart."
    assert unsupported_facts("Beste Petra,\nSanne stuurt de begroting voor 1 maart.", notes) == []
    assert unsupported_facts("Beste Petra,\nKees stuurt de begroting voor 3 april.", notes) == ["3 april", "Kees"]
    assert unsupported_facts("Beste [naam], tot [datum].", notes) == []
