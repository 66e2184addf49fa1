"""Every text the user reads in both languages, Dutch and English, side by side.

`message(key, language, **values)` fills in one text; `texts(language)` gives all of one language
(the web page's labels). A text missing in English falls back to the Dutch one. The command line's
English-only error messages stay with the errors they explain (errors.py and where they are raised).
"""
from __future__ import annotations

LANGUAGES = ("nl", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # -- answers ----------------------------------------------------------------------------------
    "abstain": {
        "nl": "Dat staat niet in de documenten die ik ken.",
        "en": "That is not in the documents I know.",
    },
    "english_lead": {
        "nl": "",
        "en": "From the documents (quoted in Dutch):",
    },
    "llm_unsupported": {
        "nl": "Het taalmodel gaf geen antwoord met bronnen; hieronder citaten uit de documenten.",
        "en": "The language model gave no answer with sources; quotes from the documents instead.",
    },
    "llm_down": {
        "nl": "Het taalmodel is niet beschikbaar ({reason}); hieronder citaten uit de documenten.",
        "en": "The language model is not available ({reason}); quotes from the documents instead.",
    },
    # -- the terminal chat --------------------------------------------------------------------------
    "chat_banner": {
        "nl": "MDT-assistent. Stel een vraag; /nieuw begint een nieuw gesprek, /stop (of Ctrl-D) stopt.",
        "en": "MDT-assistent. Ask a question; /new starts a new conversation, /stop (or Ctrl-D) stops.",
    },
    "chat_new": {"nl": "(nieuw gesprek)", "en": "(new conversation)"},
    # -- e-mail drafts ------------------------------------------------------------------------------
    "email_subject_label": {"nl": "Onderwerp", "en": "Subject"},
    "email_tips_heading": {"nl": "Tips uit de documenten:", "en": "Tips from the documents:"},
    "email_subject": {"nl": "Opvolging van ons gesprek", "en": "Follow-up of our meeting"},
    "email_discussed": {"nl": "Wat we bespraken:", "en": "What we discussed:"},
    "email_agreements": {"nl": "Afspraken:", "en": "Agreements:"},
    "email_questions": {"nl": "Nog open:", "en": "Still open:"},
    "email_questions_after": {
        "nl": "Ik kom hierop terug zodra ik meer weet.",
        "en": "I will come back to these as soon as I know more.",
    },
    "email_who": {"nl": "wie: [naam]", "en": "who: [name]"},
    "email_when": {"nl": "wanneer: [datum]", "en": "when: [date]"},
    "email_name": {"nl": "[naam]", "en": "[name]"},
    "email_cta": {
        "nl": "Wil je voor [datum] laten weten of deze samenvatting klopt en of je nog iets wilt aanvullen?",
        "en": "Could you let me know by [date] whether this summary is right, and whether you would like to add "
              "anything?",
    },
    "email_cta_owned": {
        "nl": "Wil je voor [datum] laten weten of deze samenvatting klopt, en hoe het staat met je actiepunt{s}?",
        "en": "Could you let me know by [date] whether this summary is right, and how your action point{s} {are} "
              "coming along?",
    },
    "email_next_known": {
        "nl": "Als volgende stap staat in de agenda: {next}.",
        "en": "As the next step we have planned: {next}.",
    },
    "email_next_unknown": {
        "nl": "Als volgende stap stel ik voor dat we een vervolgafspraak plannen, bijvoorbeeld op [datum]. Past dat?",
        "en": "As a next step I suggest we plan a follow-up meeting, for example on [date]. Would that suit you?",
    },
    "email_on": {"nl": " van {date}", "en": " on {date}"},
    "email_llm_invented": {
        "nl": "Het concept van het taalmodel noemde iets wat niet in de notities staat ({why}); hieronder het "
              "concept op basis van het sjabloon.",
        "en": "The language model's draft named something that is not in the notes ({why}); below is the draft "
              "from the template.",
    },
    "email_llm_down": {
        "nl": "Het taalmodel is niet beschikbaar ({why}); hieronder het concept op basis van het sjabloon.",
        "en": "The language model is not available ({why}); below is the draft from the template.",
    },
    "notes_empty": {
        "nl": "De notities zijn leeg: plak je aantekeningen van het gesprek.",
        "en": "the notes are empty: paste your notes of the meeting",
    },
    "notes_too_long": {
        "nl": "De notities zijn te lang ({length} tekens; hooguit {limit}): plak alleen de aantekeningen van dit "
              "ene gesprek.",
        "en": "the notes are too long ({length} characters; at most {limit}): paste only the notes of this one "
              "meeting",
    },
    "notes_language": {
        "nl": "De notities zijn niet in het Nederlands of Engels geschreven, de talen waarin de assistent schrijft.",
        "en": "the notes are not in Dutch or English, the languages the assistant writes; write them in Dutch or "
              "English",
    },
}


def message(key: str, language: str = "nl", **values) -> str:
    """One text in `language` ('nl' or 'en'), with `values` filled in."""
    entry = MESSAGES[key]
    text = entry.get(language) or entry["nl"]
    return text.format(**values) if values else text


def texts(language: str) -> dict[str, str]:
    """Every text of one language, by key."""
    language = language if language in LANGUAGES else "nl"
    return {key: entry.get(language) or entry["nl"] for key, entry in MESSAGES.items()}
