"""Follow-up e-mails from realistic meeting notes: every agreement, owner and date kept, nothing invented."""
from __future__ import annotations

import json
import re

import pytest

from assistant.config import ROOT
from assistant.email.dates import spelled_out
from assistant.email.draft import compose
from assistant.email.notes import DATE, parse_notes
from assistant.email.rewrite import unsupported_facts
from assistant.errors import NotesError
from assistant.evaluation.notes_set import check_folder, summary

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


@pytest.mark.parametrize("notes, language, greeting, register", [
    (SMALL_MUNICIPALITY, "nl", "Beste Petra,", "je"),      # the notes call her Petra
    (ALDERMAN, "nl", "Beste wethouder Bakker,", "u"),      # an alderman: title and surname, 'u'
    (MESSY_ENGLISH, "en", "Dear Mr Peters,", None),
])
def test_drafts_keep_every_agreement_and_invent_nothing(bundled, notes, language, greeting, register):
    draft = bundled.email(notes)
    assert draft.language == language and draft.mode == "template" and draft.register == register
    assert draft.body.startswith(greeting + "\n")
    for line in _agreement_lines(notes):
        line = re.sub(r"^(Petra|Peters)\b", lambda m: "je" if m.group(1) == "Petra" else "you", line)  # said to them
        assert f"- {line[:1].upper()}{line[1:]}" in draft.body, f"agreement missing: {line}"
    for date in DATE.findall(notes):  # as written, or spelled out ('tues 3 june' -> '3 June')
        text = (draft.body + draft.subject).lower()
        assert date.lower() in text or spelled_out(date, language).lower() in text, f"date missing: {date}"
    assert not unsupported_facts(draft.subject + "\n" + draft.body, notes), "nothing that is not in the notes"
    assert len(draft.subject) <= 70
    assert draft.subject.startswith("Opvolging gesprek MDT" if language == "nl" else "Follow-up MDT meeting")


def test_missing_owner_or_date_becomes_a_visible_placeholder(bundled):
    draft = bundled.email(SMALL_MUNICIPALITY)
    assert "Je checkt of er ruimte is in het preventiebudget (wanneer: [datum])" in draft.body
    assert "- Wie is contactpersoon bij de regio?" in draft.body, "open questions are listed"
    assert "vervolgafspraak" in draft.body and "[datum]" in draft.body, "no next meeting: a proposed one, a placeholder"
    assert draft.subject == "Opvolging gesprek MDT – gemeente Tubbergen, 12 maart"


def test_two_open_questions_on_one_line_are_two_items():
    notes = parse_notes("Gesprek gemeente Deventer, 2 december\nOpen vragen: wie betaalt de begeleiding? kan de "
                        "bibliotheek aansluiten?\n")
    assert notes.questions == ["wie betaalt de begeleiding?", "kan de bibliotheek aansluiten?"]


def test_notes_own_words_for_no_next_meeting_for_me_and_for_a_weekday():
    notes = parse_notes("Meeting municipality of Almere - 28 Nov\nPresent: Mr. Jansen (policy advisor youth), me\n"
                        "Actions\n- me: send impact figures 2025 before 12 Dec\n- Jansen checks whether the sports "
                        "club can host a pilot\nno follow-up meeting planned yet\n")
    assert [a.text for a in notes.agreements] == ["me: send impact figures 2025 before 12 Dec",
                                                   "Jansen checks whether the sports club can host a pilot"]
    assert notes.agreements[0].owner == "me" and notes.next_meeting is None
    notes = parse_notes("Belletje met Petra (beleidsmedewerker Zwolle) 1/12\nik stuur factsheet vrijdag\n")
    assert [(a.owner, a.date) for a in notes.agreements] == [("ik", "vrijdag")]
    assert notes.organisation == "gemeente Zwolle"  # the role's place, not 'Belletje met Petra'


def test_notes_read_on_2026_12_03_as_the_recipient():
    """Four things a recipient stumbled over: a visit still to be checked announced as 'Zoals afgesproken spreken
    we elkaar weer in januari'; the alderman named in the title with her honorific got no mail (an official
    did); two agreements after a full stop in lower case stayed one; 'in feb' in the mail's own sentence."""
    notes = parse_notes("Overleg gemeente Apeldoorn 2 dec\nAanwezig: Mirjam Bos (beleidsadviseur jeugd), Koen (wij)\n"
                        "Afspraken\n- Koen stuurt impactrapportage voor 15 december\n"
                        "- Mirjam checkt of wethouder Peters in januari een werkbezoek kan doen\n")
    assert notes.next_meeting is None
    notes = parse_notes("kennismaking wethouder sociaal domein Gemeente Hoogeveen, mw. A. de Wit\n"
                        "ook aanwezig: dhr. Jansen (ambtenaar), ik (Pieter, projectleider)\n- interesse in preventie\n"
                        "afgesproken: ik stuur voorbeelden + factsheet meerwaarde MDT. dhr jansen plant vervolgafspraak "
                        "in feb.\n")
    assert (notes.recipient.surname, notes.recipient.title) == ("de Wit", "wethouder")
    assert [(a.text, a.owner) for a in notes.agreements] == [
        ("ik stuur voorbeelden + factsheet meerwaarde MDT", "ik"), ("dhr jansen plant vervolgafspraak in feb", "dhr jansen")]
    subject, body = compose(notes, "nl", True)
    assert "Beste wethouder De Wit," in body and "spreken we elkaar weer in februari." in body
    assert spelled_out("eind okt.", "nl") == "eind oktober" and spelled_out("late Jan", "en") == "late January"
    # 'in Jan' is a month ('voor Jan' may be for Jan); a date the notes say is still to be set gets no placeholder
    notes = parse_notes("Meeting notes – Gemeente Zaanstad, 28/11\nPresent: Ms. Y. Öztürk (alderman youth), me (Noor), Daan (our director)\n"
                        "Actions\n- Daan & alderman: work visit to our project in Jan (date to be set by her office)\n")
    subject, body = compose(notes, "en", True)
    assert "(date to be set by her office)\n" in body and "we will speak again in January" in body


def test_next_meeting_from_the_notes_is_the_call_to_action(bundled):
    draft = bundled.email(ALDERMAN)
    assert "15 mei 14:00 gemeentehuis Goor" in draft.body
    assert "spreken we elkaar weer op 15 mei" in draft.body and "[datum]" not in draft.body
    assert "Wilt u" in draft.body and "Wil je" not in draft.body and "Dank je" not in draft.body


def test_a_numbered_report_with_lettered_items_and_a_relative_next_meeting():
    """A formal report read as its recipient would (dev3/05): '2. Mogelijkheden MDT' was a point discussed and its
    items kept 'A.', 'B.'; '4. Rondvraag' became an agreement; 'Volgende afspraak: over 6 weken, Dirk plant in'
    was only Dirk's action, so the call to action proposed '[datum]'."""
    notes = parse_notes("VERSLAG – kennismaking Zorggroep De Linde\nAanwezig: mevrouw Bakker (manager), namens ons Dirk\n\n"
                        "1. Achtergrond\n   De Linde heeft 2 locaties in Deventer.\n\n2. Mogelijkheden MDT\n"
                        "   a. jongeren kunnen meedraaien bij dagbesteding\n   b. wandelclub op zondag\n\n"
                        "3. Afspraken\n   - Dirk stuurt de planning voor 1 mei\n\n4. Rondvraag\n"
                        "   Mw. Bakker vraagt of er een vaste begeleider komt?\n\n"
                        "Volgende afspraak: over 6 weken, Dirk plant in\n")
    assert notes.discussed == ["De Linde heeft 2 locaties in Deventer.", "jongeren kunnen meedraaien bij dagbesteding",
                               "wandelclub op zondag"]
    assert {"Mogelijkheden MDT", "Rondvraag"} <= set(notes.headers)
    assert notes.questions == ["Mw. Bakker vraagt of er een vaste begeleider komt?"]
    assert [a.text for a in notes.agreements] == ["Dirk stuurt de planning voor 1 mei", "over 6 weken, Dirk plant in"]
    subject, body = compose(notes, "nl", True)
    assert "spreken we elkaar weer over 6 weken." in body and "[datum]" not in body.split("Afspraken:")[1]


def test_terse_notes_with_the_people_in_the_title():
    """dev3/06 read as Peter would: the attendees stood only in the title ('Beste [naam],' with u); 'Peter: overzicht
    trainingstijden sturen, z.s.m.' was a point discussed; 'Mo: check ..., kosten?' an open question."""
    notes = parse_notes("hc Rood Wit - 3/3 - Sanne (secr.) + Joep + ik\n\nSanne wil MDT-ers bij de jeugdtraining\n"
                        "Joep: check cursus jeugdtrainer, kosten?\nSanne: lijst met trainingstijden sturen, z.s.m.\n"
                        "ik: evaluatie plannen na 6 wkn\n")
    assert notes.recipient.first_name == "Sanne" and not notes.formal
    assert [(a.owner, a.date) for a in notes.agreements] == [("Joep", None), ("Sanne", "z.s.m."), ("ik", "na 6 wkn")]
    assert notes.questions == [] and notes.next_meeting is None  # an evaluation still to plan is no agreed moment
    subject, body = compose(notes, "nl", notes.formal)
    assert body.startswith("Beste Sanne,") and "zo snel mogelijk" in body


def test_blind_notes_read_on_2026_12_04_as_their_recipients():
    """Notes written blind by a helper: the mail went to our own coordinator ('Beste Fatima,') though the title
    names Petra; 'vlg overleg: di 8 april' was a point and the mail proposed '[datum]'; '... -> Petra checkt
    budget, vóór wk 12' a point; 'Volgende afspraak: nog plannen, liefst begin maart' became 'Zoals afgesproken
    spreken we elkaar weer begin maart'; 'VV Rood-Wit / Kees + Ilse + ik, kantine, 3 mrt' greeted '[naam]'."""
    notes = parse_notes("overleg gem. Zaanstad - Petra de Vries (beleidsmw jeugd) - 4/3\n"
                        "aanw: Petra, ik (Joris), Fatima (coördinator)\n\n"
                        "- subsidie 2025: gem. wil cofinanciering -> Petra checkt budget bij financiën, vóór wk 12\n"
                        "- vlg overleg: di 8 april 10u gemeentehuis\n")
    assert notes.recipient.first_name == "Petra" and not notes.formal
    assert [(a.owner, a.date) for a in notes.agreements] == [("Petra", "wk 12")]
    subject, body = compose(notes, "nl", notes.formal)
    assert body.startswith("Beste Petra,") and "spreken we elkaar weer op 8 april" in body
    # said to Petra, whom the line names (it read '-> Petra checkt budget ...' in her own mail until 2026-12-04)
    assert "-> je checkt budget bij financiën, vóór week 12" in body and "[datum]" not in body
    notes = parse_notes("Overleg Woonstede — 20-01-2025\nAanwezig: Sanne Verhoef (wijkconsulent), Daan (wij)\n"
                        "Afspraken\n- Sanne regelt toestemming (eind februari)\nVolgende afspraak\n"
                        "- nog plannen, liefst begin maart op locatie\n")
    subject, body = compose(notes, "nl", notes.formal)
    assert notes.next_meeting is None and "Ik stel begin maart voor" in body and "Zoals afgesproken" not in body
    notes = parse_notes("VV Rood-Wit / Kees + Ilse + ik, kantine, 3 mrt\n\nKees wil MDT-jongeren als hulptrainer\n")
    assert notes.recipient.first_name == "Kees" and not notes.formal


def test_formal_minutes_give_their_agreements_once_and_their_headings_as_no_points():
    """02 of the blind notes: numbered headings over paragraphs ('1. Opening en kennismaking') and 'Notulist: L. Smit'
    were points, the 'Rondvraag' repeated three of the listed agreements, '7. Sluiting' became an agreement and
    'Stichting Jong Oss levert ...' asked '(wie: [naam])'."""
    notes = parse_notes(
        "Verslag bestuurlijk overleg MDT met gemeente Oss\n\nDatum: 12 februari 2025\n"
        "Aanwezig: mevrouw J. Kuipers, wethouder Jeugd; dhr. M. El Amrani, directeur Stichting Jong Oss\n"
        "Notulist: L. Smit\n\n"
        "1. Opening en kennismaking\nDe wethouder heet allen welkom. Dhr. El Amrani licht de resultaten toe.\n\n"
        "2. Financiering 2025-2026\nDe gemeente is bereid een bijdrage van € 40.000 te overwegen als cofinanciering.\n\n"
        "3. Rondvraag\nMw. Smit vraagt of de wethouder bij de slotbijeenkomst in juni aanwezig is; het secretariaat "
        "wordt benaderd.\nDe wethouder stuurt het beleidskader jeugd na.\n\n"
        "4. Afspraken\n- Stichting Jong Oss levert vóór 1 maart een samenwerkingsvoorstel scholen aan.\n"
        "- Mw. Smit neemt contact op met het secretariaat van de wethouder over de slotbijeenkomst.\n\n"
        "5. Sluiting\nEen vervolgoverleg wordt gepland na het collegebesluit, in april.\n")
    assert notes.organisation == "gemeente Oss"  # not our own Stichting Jong Oss
    assert [a.text for a in notes.agreements] == [
        "De wethouder stuurt het beleidskader jeugd na",  # a new task in the Rondvraag stays an agreement
        "Stichting Jong Oss levert vóór 1 maart een samenwerkingsvoorstel scholen aan",
        "Mw. Smit neemt contact op met het secretariaat van de wethouder over de slotbijeenkomst"]
    assert not any(p.startswith(("Opening", "Financiering", "Notulist", "Sluiting")) for p in notes.discussed)
    assert any(p.startswith("Mw. Smit vraagt of de wethouder") for p in notes.discussed)
    subject, body = compose(notes, "nl", notes.formal)
    assert "samenwerkingsvoorstel scholen aan\n" in body and "(wie: [naam])" not in body.split("samenwerkingsvoorstel")[1][:30]
    assert "in april" in body


def test_a_call_with_someone_named_in_the_title():
    """06 of the blind notes: 'call w/ Ben (Zorggroep Noorderhaven, volunteer coord.) 10/4' left Ben out of the
    attendees, so '... -> Ben sends dates' stayed a point, the subject named 'Ben' as the organisation, and
    'travel cost reimb?' reached Ben as written."""
    notes = parse_notes("call w/ Ben (Zorggroep Noorderhaven, volunteer coord.) 10/4\n"
                        "- training: Ben's team gives 1-day intro dementia care -> Ben sends dates\n"
                        "- we send profiles of candidates asap\n"
                        "- travel cost reimb? Ben thinks yes but needs to check w/ HR\n")
    assert [(a.owner, a.text[:8]) for a in notes.agreements] == [("Ben", "training"), ("we", "we send ")]
    subject, body = compose(notes, "en", notes.formal)
    assert subject == "Follow-up MDT meeting – Zorggroep Noorderhaven, 10 April"
    assert body.startswith("Dear Ben,") and "Travel cost reimbursement? Ben thinks yes" in body


def test_english_minutes_under_a_notes_header():
    """05 of the blind notes: under 'Notes:' every action stayed a point discussed, 'We (Lisa) to draft ... in EN
    and NL -> send to Tom' was cut at 'NL', and the head of secondary was greeted 'Dear Dr Helen Whitaker,'."""
    notes = parse_notes("Meeting: Amsterdam International School – MDT partnership\nDate: 18 Feb 2025\n"
                        "Present: Dr. Helen Whitaker (Head of Secondary), Mr. Tom Jansen (Careers Counsellor), "
                        "Lisa de Boer (MDT Noord)\n\nNotes:\n- School keen to offer MDT to Year 12 students\n"
                        "- Tom to share the school's safeguarding policy with us by end of Feb\n"
                        "- We (Lisa) to draft a consent form in EN and NL -> send to Tom before 14 March\n")
    assert [(a.owner, a.date) for a in notes.agreements] == [("Tom", "end of Feb"), ("We", "14 March")]
    assert notes.discussed == ["School keen to offer MDT to Year 12 students"]
    subject, body = compose(notes, "en", notes.formal)
    assert body.startswith("Dear Dr Whitaker,")


def test_shorthand_is_written_out_for_the_reader():
    """The blind reader's most common complaint: the notes' shorthand reached the recipient as written."""
    from assistant.email.shorthand import in_full
    assert in_full("gem. wil cofinanciering ivm verlenging, vóór wk 12", "nl") == \
        "gemeente wil cofinanciering in verband met verlenging, vóór week 12"
    assert in_full("Evt. ook zaalvoetbal, gem. 3 uur p/w, z.s.m.", "nl") == \
        "Eventueel ook zaalvoetbal, gemiddeld 3 uur per week, zo snel mogelijk"
    assert in_full("call w/ Ben re: travel costs, asap", "en") == "call with Ben about travel costs, as soon as possible"
    notes = parse_notes("Overleg gem. Zaanstad 4/3\nAanwezig: Petra de Vries (beleidsmedewerker), ik (Joris)\n"
                        "Afspraken\n- wij sturen z.s.m. het overzicht\n")
    subject, body = compose(notes, "nl", notes.formal)
    assert "- Wij sturen zo snel mogelijk het overzicht" in body and "z.s.m." not in body


def test_terse_notes_shorthand_and_the_recipient_named_mid_line_are_written_for_them():
    """A blind reader, as Lotte: 'mdt-ers vr taalcafé, 2x pw do-avond', 'kennismakingsavond 13/3 19u, lotte regelt
    zaal' and 'Evaluatierapport Q4 -> Ilse heeft nog niet gelezen' reached the person they speak of as written."""
    from assistant.email.shorthand import in_full
    assert in_full("lotte wil mdt-ers vr taalcafé, 2x pw do-avond", "nl") == \
        "lotte wil MDT'ers voor taalcafé, 2x per week donderdagavond"
    assert in_full("afspraak vr 14/3 met WH, datum training tbd", "nl") == \
        "afspraak vrijdag 14/3 met wethouder, datum training nog te bepalen"
    assert in_full("coffee morning, date tbd (prob. late March), venue tbc", "en") == \
        "coffee morning, date to be decided (probably late March), venue to be confirmed"
    notes = parse_notes("bieb Nijkerk / Lotte\nwk 8\n\nlotte wil mdt-ers vr taalcafé (nt2), 2x pw do-avond\n"
                        "lotte vraagt flyer -> ik maak, vr vrijdag\nkennismakingsavond 13/3 19u, lotte regelt zaal\n"
                        "jongeren ook hw-begeleiding? lotte checkt bij Brinkschool\n"
                        "Evaluatierapport Q4 -> Lotte heeft nog niet gelezen\n")
    subject, body = compose(notes, "nl", notes.formal)
    assert "13/3 19u, je regelt zaal" in body and "? Je checkt bij Brinkschool" in body
    assert "-> je hebt nog niet gelezen" in body and "lotte" not in body.lower().split("beste lotte,")[1]
    # '?? reiskostenvergoeding, wie betaalt' is a question still open, not a point; 'wk 8' is a week
    notes = parse_notes("bieb Nijkerk / Lotte\nwk 8\n\nlotte wil mdt-ers vr taalcafé (nt2), 2x pw do-avond\n"
                        "lotte vraagt flyer -> ik maak, vr vrijdag\n?? reiskostenvergoeding, wie betaalt\n")
    assert notes.questions == ["reiskostenvergoeding, wie betaalt?"]
    subject, body = compose(notes, "nl", notes.formal)
    assert "gesprek van week 8" in body and "??" not in body


def test_notes_in_lower_case_name_their_owners():
    """04 of the blind notes: 'kees checkt of ...' and 'ilse (jeugdcoördinator) maakt ...' stayed points."""
    notes = parse_notes("VV Rood-Wit / Kees + Ilse + ik, kantine, 3 mrt\n\nkees wil mdt jongeren inzetten\n"
                        "ilse (jeugdcoördinator) maakt begeleidingsplan, voor de zomer\n"
                        "kees checkt of kantinedienst ook mag\n")
    assert [(a.owner, a.date) for a in notes.agreements] == [("Ilse", "voor de zomer"), ("Kees", None)]
    assert notes.discussed == ["kees wil mdt jongeren inzetten"]  # a wish, no action


# The notes of issue 16: a portfolio beside the name, a header as a bullet, the next moment an action item.
ZWOLLE = """overleg wethouder Van Dijk (sociaal domein) gemeente Zwolle - 3 okt
aanwezig: wethouder Van Dijk, Anouk Smit (beleidsmedewerker), onze directeur Linda, ik
Wat we bespraken
- wethouder positief over MDT voor jongeren in de bijstand
- zorgen over het budget voor volgend jaar
- actiepunten
- wij nodigen de wethouder uit voor de eindpresentatie op 12 december
- Anouk stuurt de beleidsnota in november
"""


def test_alderman_greeted_by_title_and_surname(bundled):
    draft = bundled.email(ZWOLLE)
    assert draft.body.startswith("Beste wethouder Van Dijk,\n"), draft.body[:40]  # not 'Beste Van,'
    assert draft.register == "u" and "Wil je" not in draft.body and "Dank je" not in draft.body


def test_a_header_is_never_an_item(bundled):
    draft = bundled.email(ZWOLLE)
    assert "- actiepunten" not in draft.body.lower()
    agreements = draft.body.split("Afspraken:\n")[1].split("\n\n")[0]
    assert "Wij nodigen de wethouder uit voor de eindpresentatie op 12 december" in agreements
    assert "Anouk stuurt de beleidsnota in november" in agreements and "[datum]" not in agreements
    discussed = draft.body.split("Wat we bespraken:\n")[1].split("\n\n")[0]
    assert "eindpresentatie" not in discussed
    assert draft.subject == "Opvolging gesprek MDT – gemeente Zwolle, 3 oktober"
    assert "spreken we elkaar weer op 12 december" in draft.body and "[datum]" not in draft.body


def test_a_portfolio_is_never_the_name():
    notes = parse_notes("Overleg gemeente Amersfoort\naanwezig: wethouder Jeugd & Onderwijs Marieke de Vries, ik\n")
    assert compose(notes, "nl", notes.formal)[1].startswith("Beste wethouder De Vries,")
    gendered = parse_notes("Gesprek Woonstichting Noord\nAanwezig: mevr. De Vries (manager), ik\n- mevr. De Vries "
                           "stuurt de lijst\n")
    assert compose(gendered, "nl", gendered.formal)[1].startswith("Geachte mevrouw De Vries,")


def test_register_can_be_set(bundled):
    assert "Wil je" in bundled.email(ALDERMAN, register="je").body
    formal = bundled.email(SMALL_MUNICIPALITY, register="u").body
    assert formal.startswith("Beste Petra de Vries,") and "wilt u mij laten weten of dat past" in formal and "Ik houd u" in formal


def test_each_part_follows_cited_advice(bundled):
    draft = bundled.email(ALDERMAN)
    parts = {a["part"]: a["n"] for a in draft.advice}
    assert {"summary", "agreements", "call_to_action", "offer", "warm"} <= set(parts)
    by_n = {c.n: c for c in draft.citations}
    assert "follow-up mail" in by_n[parts["summary"]].quote and by_n[parts["summary"]].page == 8
    assert "call to action" in by_n[parts["call_to_action"]].quote
    assert "warm" in by_n[parts["warm"]].quote
    pillars = by_n[parts["offer"]].quote
    assert "talentontwikkeling" in pillars and "MDT biedt jongeren de combinatie van talentontwikkeling" in draft.body
    for tip in draft.citations:  # short whole sentences, not pages
        whole = tip.quote.rstrip()[-1] in ".!?:" or "•" in tip.quote  # a list ends with its last item
        assert len(tip.quote) < 320 and tip.quote[:1].isupper() and whole, tip.quote


def test_tips_cite_the_factsheet_page_on_follow_up(bundled):
    draft = bundled.email(SMALL_MUNICIPALITY)
    follow_up = [c for c in draft.citations if c.source == "samenwerken-met-gemeenten.pdf" and c.page == 8]
    assert follow_up and "follow-up mail" in follow_up[0].quote
    assert any("brede portefeuilles" in c.quote for c in draft.citations), "small municipality advice"
    alderman = bundled.email(ALDERMAN)
    assert any("directeur" in c.quote for c in alderman.citations), "bring your director to an alderman"


def test_development_notes_all_pass():
    results = check_folder(ROOT / "eval" / "notes" / "dev")
    assert len(results) >= 15
    failed = [f"{r.file}: {p}" for r in results for p in r.problems]
    assert not failed, "\n".join(failed)


def test_second_development_set_is_read_right():
    """Written blind by someone else, measured once (greeting 0.80, agreements 0.76), then worked on."""
    figures = summary(check_folder(ROOT / "eval" / "notes" / "dev2"))
    assert figures["greeting"] == 1.0 and figures["register"] == 1.0 and figures["agreements_recall"] == 1.0
    assert figures["no_header_items"] == 1.0 and figures["files_all_passed"] >= 0.9, figures


@pytest.mark.parametrize("folder", ["dev", "dev2", "dev3", "dev4", "heldout", "heldout3"])
def test_no_internal_remark_reaches_the_recipient_in_any_notes_set(folder):
    """What the notes mark as ours alone ('intern:', 'internal –', 'NB:', '(intern: ...)' inside a line) is never
    in the draft: the one figure that must be whole on every set, the held-out ones included."""
    results = check_folder(ROOT / "eval" / "notes" / folder)
    leaked = [f"{r.file}: {p}" for r in results for p in r.problems if p.startswith("internal note")]
    assert not leaked, "\n".join(leaked)


def test_third_development_set_stays_above_its_floor():
    """Written blind by a helper (files wholly right 0.12, agreements recall 0.68, greeting 0.62 at 5a5c55d, and
    two 'NB' remarks sent), then worked on: 0.50, 0.88, 1.00."""
    figures = summary(check_folder(ROOT / "eval" / "notes" / "dev3"))
    assert figures["agreements_recall"] >= 0.88 and figures["greeting"] == 1.0 and figures["no_internal"] == 1.0, figures
    assert figures["files_all_passed"] >= 0.5, figures


def test_fourth_development_set_stays_above_its_floor():
    """Eight notes written blind by a helper and read as their recipients (greeting 0.50, register 0.60, agreements
    recall 0.57, files wholly right 0.12 on the code before them; 'Internal note (not for minutes): alderman is up for
    re-election' sent to that alderman, terse English notes refused as 'not Dutch or English'), then worked on."""
    figures = summary(check_folder(ROOT / "eval" / "notes" / "dev4"))
    assert figures["greeting"] == 1.0 and figures["register"] == 1.0 and figures["no_internal"] == 1.0, figures
    assert figures["agreements_recall"] >= 0.8 and figures["no_header_items"] == 1.0, figures


def test_notes_marked_ours_in_other_words_stay_ours():
    """'Internal note (not for minutes): ...' reached the alderman it was about; 'NB wethouder wil graag een
    foto-moment' and 'NB check if ...' became agreements."""
    notes = parse_notes("Minutes – meeting with Municipality of Dijk en Waard\nPresent: Alderman Ms. C. Hoogendijk\n\n"
                        "Agreements\n- Eva arranges a work visit in April.\n\n"
                        "Internal note (not for minutes): alderman is up for re-election 2026.\n"
                        "NB check if the youth centre is open to youth with disabilities\n")
    subject, body = compose(notes, "en", notes.formal)
    assert "re-election" not in body and "disabilities" not in body and "Eva arranges a work visit" in body
    assert body.startswith("Dear Alderman Hoogendijk,")  # not 'Dear Dijk,' from the municipality's name


def test_terse_english_notes_are_english():
    """'call Kim (Sportbedrijf Almere) 11/3' with shorthand lines was refused: 5 of 69 words were in the language
    check's lists."""
    from assistant.corpus.language import supported_language

    text = (ROOT / "eval" / "notes" / "dev4" / "07_sports-english-terse.txt").read_text(encoding="utf-8")
    assert supported_language(text) == "en"
    notes = parse_notes(text)
    subject, body = compose(notes, "en", notes.formal)
    assert body.startswith("Dear Kim,") and "Sportbedrijf Almere" in subject


@pytest.mark.parametrize("title, greeting", [
    ("bieb Nijkerk / Lotte\nwk 8\n\nlotte regelt zaal voor 13/3\n", "Beste Lotte,"),
    ("VV Rood-Wit - Marco (jeugdvoorzitter), Fenna (vrijwilligerscoörd.), ik (Sanne)\n\n- Marco bespreekt het in bestuur\n",
     "Beste Marco,"),
])
def test_the_person_met_is_found_in_a_terse_title(title, greeting):
    notes = parse_notes(title)
    subject, body = compose(notes, "nl", notes.formal)
    assert body.startswith(greeting) and not notes.formal, body[:200]


def test_minutes_numbered_by_paragraph_with_open_questions_and_no_next_meeting():
    """'5.1 Dhr. Oosterbeek stelt ...' asked '(wie: [naam])', '6. Openstaande vragen' became an agreement and its
    questions too, 'Vervolg: niet afgesproken' an agreement, and '...; deadline 30 April' a task of its own."""
    notes = parse_notes("Verslag overleg De Linde\nAanwezig: mw. Kampstra (directeur), Jasper (wij)\n\n"
                        "5. Afspraken\n5.1 Dhr. Oosterbeek stelt per locatie een werkbegeleider aan, uiterlijk 1 april.\n"
                        "5.2 Wij leveren een planning; deadline 28 februari.\n\n"
                        "6. Openstaande vragen\n- Kunnen deelnemers ook in avonddiensten meedraaien?\n\n"
                        "Vervolg: niet afgesproken\n")
    assert [(a.owner, a.date) for a in notes.agreements] == [("Dhr. Oosterbeek", "1 april"), ("Wij", "28 februari")]
    assert notes.questions == ["Kunnen deelnemers ook in avonddiensten meedraaien?"] and notes.next_meeting is None


@pytest.mark.parametrize("folder", ["heldout", "heldout3"])
def test_held_out_notes_stay_above_their_floor(folder):
    """Measured, not tuned on (figures print with -s); the floor catches a regression."""
    figures = summary(check_folder(ROOT / "eval" / "notes" / folder))
    print(folder, figures)
    assert figures["agreements_recall"] >= 0.85 and figures["greeting"] >= 0.7 and figures["no_header_items"] >= 0.9


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


def test_cli_writes_an_eml_that_reads_back_unchanged(bundled, tmp_path):
    import email
    from email import policy

    from helpers import run_cli

    env = {"MDT_CORPUS_DIR": str(bundled.config.corpus_dir), "MDT_INDEX_DIR": str(bundled.config.index_dir)}
    eml = tmp_path / "concept.eml"
    done = run_cli("email", "--notes", "-", "--json", "--eml", str(eml), "--register", "je", env_extra=env,
                   input=ZWOLLE)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert message["Subject"] == result["subject"] == "Opvolging gesprek MDT – gemeente Zwolle, 3 oktober"
    assert message.get_content() == result["body"] + "\n" or message.get_content() == result["body"]
    assert message.get_content_charset() == "utf-8" and result["register"] == "je" and "Wil je" in result["body"]
    bad = run_cli("email", "--notes", "-", "--eml", str(tmp_path / "no" / "such" / "x.eml"), env_extra=env,
                  input=ZWOLLE)
    assert bad.returncode == 2 and "cannot write the .eml file" in bad.stderr
    wrong = run_cli("email", "--notes", "-", env_extra={**env, "MDT_EMAIL_REGISTER": "Sie"}, input=ZWOLLE)
    assert wrong.returncode == 2 and "MDT_EMAIL_REGISTER must be auto, u or je" in wrong.stderr


def test_unsupported_facts_finds_invented_names_and_dates():
    notes = "Gesprek met Petra. Sanne stuurt de begroting voor 1 maart."
    assert unsupported_facts("Beste Petra,\nSanne stuurt de begroting voor 1 maart.", notes) == []
    assert unsupported_facts("Beste Petra,\nKees stuurt de begroting voor 3 april.", notes) == ["3 april", "Kees"]
    assert unsupported_facts("Beste [naam], tot [datum].", notes) == []


OOSTERVELD = """Overleg wethouder De Wilde (jeugd & onderwijs) gemeente Oosterveld - 3 okt

Aanwezig:
- wethouder Marieke de Wilde
- Sanne Koster en ik (wij, MDT Oosterveld Doet Mee)

## Stand van zaken
- 42 jongeren gestart sinds januari, uitval laag

## Afspraken
- Sanne stuurt projectplan 2025 voor 20 okt

Vervolg: we spreken elkaar weer op 12 december

(intern: wethouder leek enthousiaster dan vorige keer)
"""


def test_a_notes_own_heading_keeps_its_points_and_internal_lines_stay_home():
    """'## Stand van zaken' under the attendees was read as a person ('Stand') and its points were lost;
    '(intern: ...)' went to the wethouder as an open question; the next meeting was said twice."""
    from assistant.email.draft import compose

    notes = parse_notes(OOSTERVELD)
    assert [p.name for p in notes.attendees if "Stand" in p.name] == []
    subject, body = compose(notes, "nl", notes.formal)
    assert "- 42 jongeren gestart sinds januari, uitval laag" in body
    assert "intern" not in body and "enthousiaster" not in body
    assert body.count("12 december") == 1 and "Zoals afgesproken spreken we elkaar weer op 12 december" in body


QUICK_CALL = """call w/ Mr. de Groot (director, Stichting Sportief Samen) 20/11
- they run sports clubs in 3 neighbourhoods, want to offer MDT places for 10 youths
actions:
- me: send our supervision model + intake form by Friday
- Mr de Groot asks his board about co-funding (before xmas)
[private] he seemed hesitant about the paperwork
next: no date yet
"""


def test_a_quick_english_call_note_reads_as_a_letter():
    """Each of these went wrong: 'Dear [name],' ('de Groot' after 'Mr.' was no name: a lowercase particle
    could not start one), the subject 'Stichting Sportief Samen) 20/11' (the title split at the comma inside
    the brackets), '[private] ...' and 'Next: no date yet' listed as agreements, 'Me: send ...'."""
    from assistant.email.draft import compose

    notes = parse_notes(QUICK_CALL)
    subject, body = compose(notes, "en", notes.formal)
    assert body.startswith("Dear Mr De Groot,\n"), body[:30]
    assert subject == "Follow-up MDT meeting – Stichting Sportief Samen, 20 November"
    assert "hesitant" not in body and "no date yet" not in body.lower()
    assert "- I will send our supervision model + intake form by Friday" in body
    assert "- You ask your board about co-funding (before xmas)\n" in body  # a date: no '(when: [date])'
    assert "I suggest [date]" in body  # no next meeting was set


KAMPEN = """Overleg gemeente Kampen – 2 december
Aanwezig: mw. A. Bosman (beleidsadviseur jeugd), Karim (ons team), ik

- Gemeente zoekt aanpak voor eenzaamheid onder 18-23 jarigen
- Budget 2025 is al verdeeld, mogelijk ruimte in voorjaarsnota

Afspraken:
- Karim stuurt factsheet + bereikcijfers vóór 15 december
- Bosman checkt agenda wethouder
- Volgend overleg half januari
"""

WOONBRUG = """Gesprek woningcorporatie De Woonbrug 1/12
aanwezig: Sandra (directeur), Pieter (wijkconsulent), ik en Lisa

Sandra wil jongeren inzetten bij burenhulp in de wijk.
"""


def test_an_initial_is_no_first_name_and_a_title_date_no_part_of_the_name():
    """'mw. A. Bosman' was greeted 'Beste A,' (and with 'je'); the next meeting got '(wie: [naam])' and a line of
    its own beside the call to action that says it; 'Gesprek woningcorporatie De Woonbrug 1/12' gave the subject
    '... De Woonbrug 1/12, 1 december'."""
    from assistant.email.draft import compose

    notes = parse_notes(KAMPEN)
    subject, body = compose(notes, "nl", notes.formal)
    assert notes.formal and body.startswith("Geachte mevrouw Bosman,\n"), body[:40]
    assert "[naam]" not in body and body.count("half januari") == 1
    assert "Zoals afgesproken spreken we elkaar weer half januari" in body
    notes = parse_notes(WOONBRUG)
    assert compose(notes, "nl", notes.formal)[0] == "Opvolging gesprek MDT – woningcorporatie De Woonbrug, 1 december"


def test_an_agreement_from_a_dat_clause_reads_as_a_sentence():
    """'We spraken af dat Lisa een voorstel schrijft (eind december) en dat Pieter ... benadert ...' was sent as
    '- Lisa een voorstel schrijft (eind december)': the verb of a 'dat'-clause comes last."""
    from assistant.email.agreements import split_items

    assert split_items("We spraken af dat Lisa een voorstel schrijft (eind december) en dat Pieter drie bewoners "
                       "benadert voor een klankbordgroep.") == [
        "Lisa schrijft een voorstel (eind december)", "Pieter benadert drie bewoners voor een klankbordgroep"]
    assert split_items("Afgesproken dat wij de gemeente informeren.") == ["wij informeren de gemeente"]
    assert split_items("Sanne stuurt het plan voor 20 maart en Petra checkt het budget.") == [
        "Sanne stuurt het plan voor 20 maart", "Petra checkt het budget"]
    assert split_items("We agreed that Tom sends the invite by June 27.") == ["Tom sends the invite by June 27"]


def test_the_recipient_is_spoken_to_not_about():
    """'Beste Marieke, ... - Marieke checkt of er ruimte is in het budget': the recipient read about herself in the
    third person. Now 'Je checkt ...', 'Je wilt ...'; formally 'U ...'; a name followed by no verb stays."""
    notes = parse_notes("Overleg gemeente Zutphen – 2 december\nAanwezig: Marieke Jansen (beleidsmedewerker jeugd), "
                        "Tom (wij)\n\n- Marieke wil graag dat meer jongeren uit het mbo meedoen\n- Marieke enthousiast "
                        "over werkbezoek\n\nAfspraken\n- Tom stuurt voor 15 december de cijfers\n"
                        "- Marieke checkt of er ruimte is in het budget preventie\n")
    subject, body = compose(notes, "nl", False)
    assert "- Je wilt graag dat meer jongeren uit het mbo meedoen" in body
    assert "- Je checkt of er ruimte is in het budget preventie" in body
    assert "- Marieke enthousiast over werkbezoek" in body and "- Tom stuurt voor 15 december de cijfers" in body
    notes = parse_notes("Gesprek gemeente Epe, 3/12\nAanwezig: mw. A. Bosman (wethouder jeugd), Lisa (wij)\n\n"
                        "- Mw. Bosman vindt een pilot in het voorjaar haalbaar\n")
    subject, body = compose(notes, "nl", True)
    assert "- U vindt een pilot in het voorjaar haalbaar" in body


def test_an_internal_remark_after_a_dash_and_a_headerless_attendee_line_stay_out_and_hamza_is_you():
    """dev2 '10-call-regio-noordkust': 'internal – Hamza seems to have mandate, Bianca less so' went to Hamza
    (the internal marker was only seen before ':', '-' or ')'), the line 'me, Lotte, Hamza + his colleague Mrs
    Bianca Verhoeven (project officer)' was listed as a point discussed, and Hamza read 'Hamza checks whether ...'."""
    notes = parse_notes((ROOT / "eval" / "notes" / "dev2" / "10-call-regio-noordkust.txt").read_text(encoding="utf-8"))
    subject, body = compose(notes, "en", notes.formal)
    assert "mandate" not in body and "his colleague" not in body
    assert "- You check whether MDT hours can count toward the work experience requirement" in body
    assert "Bianca Verhoeven" in [p.name for p in notes.attendees]


def test_notes_read_on_2026_12_04_as_the_recipient():
    """Eight notes written blind by a helper: 'NB: Peter is nogal chaotisch ...' and 'NB voor ons: Tom heeft nog geen
    VOG ...' went to Peter and the housing association; '(intern: in Marendam ...)' after an open question became a
    question of its own; '12 februari 2025, stadhuis' under the title was a point discussed and the thank-you line
    had no date; 'Yasmina doet de intake ... voor 1 mei' asked '(wie: [naam])'; 'Wethouder is positief' was said
    about the wethouder in a mail to him."""
    notes = parse_notes("Overleg gemeente Zwolle\n12 februari 2025, stadhuis\nAanwezig: wethouder De Boer, Karim (wij)\n"
                        "- Wethouder is positief, wil MDT graag meenemen in de jeugdnota\n"
                        "- NB: Peter is nogal chaotisch, zelf achteraan blijven zitten\n"
                        "- hoe meten we uitval? (intern: in Marendam hadden ze een dashboard)\n"
                        "- side note (internal): Linda sees overlap with another pilot\n"
                        "Afspraken\n- Yasmina doet de intake van de eerste 5 jongeren voor 1 mei\n"
                        "- NB voor ons: Tom heeft nog geen VOG binnen, niet noemen\n")
    subject, body = compose(notes, "nl", True)
    for secret in ("chaotisch", "Marendam", "VOG", "Linda"):
        assert secret not in body, secret
    assert "gesprek van 12 februari 2025" in body and "- 12 februari" not in body
    assert "- U bent positief, wil MDT graag meenemen in de jeugdnota" in body
    assert "- Yasmina doet de intake van de eerste 5 jongeren voor 1 mei\n" in body
    assert "- Hoe meten we uitval?" in body
    # a line of names alone under the title lists who was there: the first of theirs is greeted, by first name
    notes = parse_notes("gesprek bibliotheek Rivierenland, Tiel – 27/1\n\nMarieke de Vries, Ahmed, Lotte, Bas\n\n"
                        "Marieke vertelde over de taalcafés\nMarieke zorgt dat de jongeren een inwerkmiddag krijgen\n")
    assert compose(notes, "nl", notes.formal)[1].startswith("Beste Marieke,\n")


def test_the_recipients_own_task_written_with_a_colon_is_said_to_them():
    """'Ilse: stuurt format verlengingsaanvraag vóór 1/3' reached Ilse as written, beside 'Je checkt ...'."""
    notes = parse_notes("overleg gem. Brederwiede 12/2 - Ilse Vonk (beleidsmw jeugd) + ik\n\nacties:\n"
                        "- Ilse: stuurt format verlengingsaanvraag vóór 1/3\n- Ilse checkt bij buurtteams wie het is\n")
    subject, body = compose(notes, "nl", notes.formal)
    assert "- Je stuurt format verlengingsaanvraag vóór 1/3" in body and "- Je checkt bij buurtteams" in body, body


def test_a_question_decided_against_and_our_side_selecting():
    """dev4/05 and 07: 'Persbericht? -> nog niet, eerst afspraken rond' was an agreement with '(wie: [naam];
    wanneer: [datum])'; 'our side: select youth by 1 May' a point ('select' was no verb of an agreement)."""
    notes = parse_notes("Gesprek wethouder Van der Meulen, 3 maart\n\nAfspraken\n1. wij werken programma uit, concept half mei\n"
                        "2. persbericht? -> nog niet, eerst afspraken rond\n")
    assert [a.text for a in notes.agreements] == ["wij werken programma uit, concept half mei"]
    assert notes.discussed == ["persbericht? -> nog niet, eerst afspraken rond"]
    notes = parse_notes("call Kim (Sportbedrijf Almere) 11/3\n\n- our side: select youth by 1 May, send names + age\n")
    assert [(a.owner, a.date) for a in notes.agreements] == [("our side", "1 May")]
