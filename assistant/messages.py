"""Every text the user reads in both languages, Dutch and English, side by side.

`message(key, language, **values)` fills in one text; `texts(language)` gives all of one language
(the web page's labels). A text missing in English falls back to the Dutch one. 'nl_je' is Dutch that
says 'je' where 'nl' says 'u' (e-mail drafts); where a text has no such variant, the 'nl' one serves. The command line's
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
    "abstain_fact": {
        "nl": "De documenten noemen geen {what} bij deze vraag („{question}”).",
        "en": "The documents give no {what} for this question (“{question}”).",
    },
    "abstain_topic": {
        "nl": "De documenten zeggen niets over {topic} („{question}”).",
        "en": "The documents say nothing about {topic} (“{question}”).",
    },
    "english_where_page": {
        "nl": "Het antwoord staat in „{title}”, pagina {page}:",
        "en": "The documents answer this in “{title}”, page {page} (quoted in Dutch):",
    },
    "english_where": {
        "nl": "Het antwoord staat in „{title}”:",
        "en": "The documents answer this in “{title}” (quoted in Dutch):",
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
    "email_subject": {"nl": "Opvolging gesprek MDT", "en": "Follow-up MDT meeting"},
    "email_subject_plain": {"nl": "Opvolging van ons gesprek over MDT", "en": "Follow-up of our meeting on MDT"},
    "email_thanks": {
        "nl": "Hartelijk dank voor het prettige gesprek{when}. Zoals beloofd zet ik de belangrijkste punten op een "
              "rij, zodat we allemaal hetzelfde beeld hebben.",
        "en": "Thank you for the good conversation{when}. As promised, here are the main points, so that we all "
              "have the same picture.",
    },
    "email_on": {"nl": " van {date}", "en": " on {date}"},
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
    "email_offer_mdt": {
        "nl": "MDT biedt jongeren de combinatie van {pillars}.",
        "en": "In the words of the Dutch MDT guidance, MDT offers young people the combination of {pillars}.",
    },
    "email_offer_interest": {
        "nl": "Met ons project brengen we dat graag samen met u in de praktijk, aansluitend bij uw interesse in "
              "{interest}.",
        "nl_je": "Met ons project brengen we dat graag samen met jullie in de praktijk, aansluitend bij jullie "
                 "interesse in {interest}.",
        "en": "With our project we would be glad to put that into practice together with you, building on your "
              "interest in {interest}.",
    },
    "email_offer_plain": {
        "nl": "Met ons project brengen we dat graag samen met u in de praktijk.",
        "nl_je": "Met ons project brengen we dat graag samen met jullie in de praktijk.",
        "en": "With our project we would be glad to put that into practice together with you.",
    },
    "email_cta_next": {
        "nl": "Zoals afgesproken spreken we elkaar weer{moment}. Wilt u mij vóór die tijd laten weten of deze "
              "samenvatting klopt{own}?",
        "nl_je": "Zoals afgesproken spreken we elkaar weer{moment}. Wil je me vóór die tijd laten weten of deze "
                 "samenvatting klopt{own}?",
        "en": "As agreed, we will speak again{moment}. Could you let me know before then whether this summary "
              "is right{own}?",
    },
    "email_cta_unknown": {
        "nl": "Zullen we een vervolgafspraak maken om de volgende stap te zetten? Ik stel {when} voor; wilt u mij "
              "laten weten of dat past{own}?",
        "nl_je": "Zullen we een vervolgafspraak maken om de volgende stap te zetten? Ik stel {when} voor; wil je me "
                 "laten weten of dat past{own}?",
        "en": "Shall we plan a follow-up meeting to take the next step? I suggest {when}; could you let me know "
              "whether that suits you{own}?",
    },
    "email_date_placeholder": {"nl": "[datum]", "en": "[date]"},
    "email_cta_own": {
        "nl": " en hoe het staat met uw actiepunt{s}",
        "nl_je": " en hoe het staat met je actiepunt{s}",
        "en": ", and how your action point{s} {are} coming along",
    },
    "email_next_line": {"nl": "Volgende afspraak: {next}", "en": "Next meeting: {next}"},
    # the recipient, spoken to where the notes speak of them ('Marieke checkt ...' -> 'Je checkt ...'), and theirs
    "email_you": {"nl": "U", "nl_je": "Je", "en": "You"},
    "email_your": {"nl": "uw", "nl_je": "je", "en": "your"},
    "email_warm": {
        "nl": "Ik houd u op de hoogte van onze voortgang en nodig u graag uit als er iets te zien is. Verandert er "
              "aan uw kant iets, dan hoor ik dat graag.",
        "nl_je": "Ik houd je op de hoogte van onze voortgang en nodig je graag uit als er iets te zien is. "
                 "Verandert er aan jouw kant iets, dan hoor ik dat graag.",
        "en": "I will keep you posted on our progress and will gladly invite you when there is something to see. "
              "If anything changes on your side, I would be glad to hear.",
    },
    "email_closing": {"nl": "Met vriendelijke groet,", "en": "Kind regards,"},
    "email_signature": {"nl": "[je naam]", "en": "[your name]"},
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
    # -- the web page (assistant/web) ---------------------------------------------------------------
    "web_subtitle": {
        "nl": "Antwoorden uit de MDT-documenten, met bronnen. Alles blijft op deze computer.",
        "en": "Answers from the MDT documents, with sources. Everything stays on this computer.",
    },
    "web_language": {"nl": "Taal / Language", "en": "Taal / Language"},
    "web_tab_chat": {"nl": "Vragen", "en": "Questions"},
    "web_tab_email": {"nl": "E-mail", "en": "E-mail"},
    "web_tab_docs": {"nl": "Documenten", "en": "Documents"},
    "web_chatbot": {"nl": "Gesprek", "en": "Conversation"},
    "web_question": {"nl": "Uw vraag", "en": "Your question"},
    "web_question_placeholder": {
        "nl": "Typ een vraag over MDT, bijvoorbeeld: Hoe benader ik een kleine gemeente?",
        "en": "Type a question about MDT, for example: How do I approach a small municipality?",
    },
    "web_ask": {"nl": "Vraag stellen", "en": "Ask"},
    "web_new": {"nl": "Nieuw gesprek", "en": "New conversation"},
    "web_examples": {
        "nl": "**Voorbeeldvragen** (klik om te stellen):",
        "en": "**Example questions** (click to ask):",
    },
    "web_to_eval": {
        "nl": "Maak van het afgekeurde antwoord een evaluatievraag",
        "en": "Turn the downvoted answer into an evaluation question",
    },
    "web_sources": {"nl": "Bronnen", "en": "Sources"},
    "web_sources_empty": {
        "nl": "Hier verschijnen de bronnen van het antwoord: het document, de pagina en de geciteerde passage.",
        "en": "The sources of the answer appear here: the document, the page and the quoted passage.",
    },
    "web_sources_none": {
        "nl": "Geen bronnen: het antwoord staat niet in de documenten.",
        "en": "No sources: the answer is not in the documents.",
    },
    "web_empty_question": {"nl": "Typ eerst een vraag.", "en": "Type a question first."},
    "web_long_question": {
        "nl": "Deze vraag is te lang ({chars} tekens; hooguit {limit}). Maak hem korter.",
        "en": "This question is too long ({chars} characters; at most {limit}). Shorten it.",
    },
    "web_long_notes": {
        "nl": "Deze aantekeningen zijn te lang ({chars} tekens; hooguit {limit}). Kort ze in.",
        "en": "These notes are too long ({chars} characters; at most {limit}). Shorten them.",
    },
    "web_upload_refused": {
        "nl": "{name}: niet aangenomen ({reason}).",
        "en": "{name}: not accepted ({reason}).",
    },
    "web_searching": {"nl": "Bezig met zoeken in de documenten…", "en": "Searching the documents…"},
    "web_writing": {"nl": "Het antwoord wordt geschreven…", "en": "Writing the answer…"},
    "web_abstained": {
        "nl": "Het antwoord op deze vraag staat niet in de documenten. Stel de vraag anders, of voeg een "
              "document toe op het tabblad Documenten.",
        "en": "The answer to this question is not in the documents. Ask it differently, or add a document on "
              "the Documents tab.",
    },
    "web_not_ready": {
        "nl": "Even geduld: de documenten worden nog geïndexeerd{progress}. Stel uw vraag zo opnieuw.",
        "en": "One moment: the documents are still being indexed{progress}. Ask again shortly.",
    },
    "web_failed": {
        "nl": "Er ging iets mis bij het beantwoorden ({error}). Probeer het opnieuw; blijft het misgaan, meld "
              "het dan aan de beheerder.",
        "en": "Something went wrong while answering ({error}). Try again; if it keeps failing, tell the "
              "administrator.",
    },
    "web_new_done": {"nl": "Nieuw gesprek gestart.", "en": "New conversation started."},
    "web_no_index": {
        "nl": "Er zijn nog geen documenten geïndexeerd. Voeg documenten toe op het tabblad Documenten.",
        "en": "No documents have been indexed yet. Add documents on the Documents tab.",
    },
    "web_page": {"nl": "pagina", "en": "page"},
    "web_slide": {"nl": "dia", "en": "slide"},
    "web_open_page": {"nl": "Open het document op pagina {page}", "en": "Open the document at page {page}"},
    "web_open_slide": {"nl": "Open de presentatie (dia {page})", "en": "Open the presentation (slide {page})"},
    "web_open": {"nl": "Open het document", "en": "Open the document"},
    "web_open_passage": {"nl": "Toon de passage in het document", "en": "Show the passage in the document"},
    "web_cited": {"nl": "Bronnen", "en": "Sources"},
    "web_not_found_in_passage": {"nl": "Geciteerd:", "en": "Quoted:"},
    "web_vote_up": {
        "nl": "Bedankt! Uw waardering is opgeslagen.",
        "en": "Thank you! Your rating has been saved.",
    },
    "web_vote_down": {
        "nl": "Bedankt, uw beoordeling is opgeslagen. Met de knop hieronder maakt u van deze vraag een "
              "evaluatievraag, zodat het team het antwoord kan verbeteren.",
        "en": "Thank you, your rating has been saved. The button below turns this question into an evaluation "
              "question, so that the team can improve the answer.",
    },
    "web_vote_none": {"nl": "Uw beoordeling is ingetrokken.", "en": "Your rating has been withdrawn."},
    "web_eval_none": {
        "nl": "Er is nog geen afgekeurd antwoord in dit gesprek. Klik eerst op het duimpje omlaag bij een "
              "antwoord.",
        "en": "There is no downvoted answer in this conversation yet. Click the thumbs down under an answer "
              "first.",
    },
    "web_eval_done": {"nl": "Toegevoegd als evaluatievraag {id}.", "en": "Added as evaluation question {id}."},
    "web_eval_again": {
        "nl": "Deze vraag staat al als evaluatievraag {id}.",
        "en": "This question is already evaluation question {id}.",
    },
    "web_notes": {"nl": "Aantekeningen van het gesprek", "en": "Notes of the meeting"},
    "web_notes_placeholder": {
        "nl": "Plak hier uw aantekeningen: met wie u sprak, wat besproken is, de afspraken en de open vragen.",
        "en": "Paste your notes here: who you met, what was discussed, the agreements and the open questions.",
    },
    "web_draft": {"nl": "Maak concept-e-mail", "en": "Draft the e-mail"},
    "web_subject": {"nl": "Onderwerp", "en": "Subject"},
    "web_body": {"nl": "Tekst van de e-mail", "en": "Body of the e-mail"},
    "web_tips": {"nl": "Tips uit de documenten", "en": "Tips from the documents"},
    "web_used_for": {"nl": "Toegepast in: {parts}", "en": "Applied in: {parts}"},
    "web_part_summary": {"nl": "de samenvatting", "en": "the summary"},
    "web_part_agreements": {"nl": "de afspraken", "en": "the agreements"},
    "web_part_call_to_action": {"nl": "de oproep tot een volgende stap", "en": "the call to action"},
    "web_part_offer": {"nl": "wat MDT en het project bieden", "en": "what MDT and the project offer"},
    "web_part_warm": {"nl": "het warm houden van de relatie", "en": "keeping the relation warm"},
    "web_part_partner": {"nl": "tip voor deze gesprekspartner", "en": "advice for this partner"},
    "web_tips_empty": {
        "nl": "Hier verschijnen de tips uit de documenten die bij uw e-mail passen.",
        "en": "Tips from the documents that fit your e-mail appear here.",
    },
    "web_notes_empty": {
        "nl": "Plak eerst de aantekeningen van het gesprek.",
        "en": "Paste the notes of the meeting first.",
    },
    "web_drafting": {"nl": "Bezig met het concept…", "en": "Drafting…"},
    "web_draft_done": {
        "nl": "Concept klaar. Controleer het, vul de [haakjes] in en open het in uw mailprogramma.",
        "en": "Draft ready. Check it, fill in the [brackets] and open it in your mail program.",
    },
    "web_draft_done_register": {
        "nl": "Concept klaar (aanspreekvorm: {register}). Controleer het, vul de [haakjes] in en open het in uw "
              "mailprogramma.",
        "en": "Draft ready (form of address: {register}). Check it, fill in the [brackets] and open it in your "
              "mail program.",
    },
    "web_draft_register": {"nl": "(Aanspreekvorm: {register}.)", "en": "(Form of address: {register}.)"},
    "web_register": {"nl": "Aanspreekvorm", "en": "Form of address"},
    "web_register_info": {
        "nl": "Voor Nederlandse concepten: automatisch kiest u of je op grond van de aantekeningen.",
        "en": "For Dutch drafts: automatic picks 'u' or 'je' from the notes.",
    },
    "web_register_auto": {"nl": "automatisch", "en": "automatic"},
    "web_register_u": {"nl": "u", "en": "u (formal)"},
    "web_register_je": {"nl": "je", "en": "je (informal)"},
    "web_open_mail": {"nl": "Openen in je mailprogramma", "en": "Open in your mail program"},
    "web_copy_mail": {"nl": "Kopieer onderwerp en tekst", "en": "Copy subject and body"},
    "web_copied": {"nl": "Onderwerp en tekst gekopieerd.", "en": "Subject and body copied."},
    "web_copy_failed": {
        "nl": "Kopiëren lukte niet: selecteer de tekst en kopieer hem zelf.",
        "en": "Copying did not work: select the text and copy it yourself.",
    },
    "web_download_eml": {"nl": "Download als .eml", "en": "Download as .eml"},
    "web_docs_intro": {
        "nl": "Dit zijn de documenten waaruit de assistent antwoordt.",
        "en": "These are the documents the assistant answers from.",
    },
    "web_docs_none": {
        "nl": "Er zijn nog geen documenten geïndexeerd.",
        "en": "No documents have been indexed yet.",
    },
    "web_col_title": {"nl": "Titel", "en": "Title"},
    "web_col_file": {"nl": "Bestand", "en": "File"},
    "web_col_kind": {"nl": "Soort", "en": "Kind"},
    "web_col_pages": {"nl": "Pagina's", "en": "Pages"},
    "web_col_chunks": {"nl": "Passages", "en": "Passages"},
    "web_col_indexed": {"nl": "Geïndexeerd op", "en": "Indexed at"},
    "web_upload": {
        "nl": "Nieuw of vervangen document (PDF, PPTX, DOCX, MD of TXT)",
        "en": "New or replaced document (PDF, PPTX, DOCX, MD or TXT)",
    },
    "web_upload_button": {"nl": "Toevoegen en indexeren", "en": "Add and index"},
    "web_upload_none": {"nl": "Kies eerst een bestand.", "en": "Choose a file first."},
    "web_upload_bad_name": {
        "nl": "{name}: deze bestandsnaam kan niet ({reason}).",
        "en": "{name}: this file name cannot be used ({reason}).",
    },
    "web_upload_saved": {
        "nl": "Opgeslagen in de documentenmap; bezig met indexeren…",
        "en": "Saved in the documents folder; indexing…",
    },
    "web_added": {"nl": "Toegevoegd", "en": "Added"},
    "web_updated": {"nl": "Vervangen", "en": "Replaced"},
    "web_unchanged": {"nl": "Ongewijzigd (stond er al)", "en": "Unchanged (already there)"},
    "web_failed_docs": {"nl": "Niet gelukt", "en": "Failed"},
    "web_indexing": {
        "nl": "Documenten indexeren: {i} van {total}{source}",
        "en": "Indexing documents: {i} of {total}{source}",
    },
    "web_indexing_ocr": {
        "nl": " — tekst herkennen (OCR), pagina {page}: {done} van {pages}",
        "en": " — reading text (OCR), page {page}: {done} of {pages}",
    },
    "web_indexing_embed": {
        "nl": " — passages en zinnen verwerkt: {done} van {total}",
        "en": " — passages and sentences processed: {done} of {total}",
    },
    "web_indexing_start": {
        "nl": "Documenten indexeren: de documentenmap wordt bekeken…",
        "en": "Indexing documents: looking at the documents folder…",
    },
    "web_indexed": {
        "nl": "Indexeren klaar: {documents} documenten, {chunks} passages.",
        "en": "Indexing done: {documents} documents, {chunks} passages.",
    },
    "web_index_failed": {"nl": "Indexeren is niet gelukt: {error}", "en": "Indexing failed: {error}"},
    "web_col_status": {"nl": "Status", "en": "Status"},
    "web_status_indexed": {"nl": "Geïndexeerd", "en": "Indexed"},
    "web_status_indexing": {"nl": "Wordt geïndexeerd…", "en": "Being indexed…"},
    "web_status_failed": {"nl": "Niet gelukt", "en": "Failed"},
    "web_replacing": {"nl": "Dit vervangt {names}.", "en": "This replaces {names}."},
    "web_doc_choice": {"nl": "Document verwijderen", "en": "Remove a document"},
    "web_remove": {"nl": "Verwijderen…", "en": "Remove…"},
    "web_remove_yes": {"nl": "Ja, verwijderen", "en": "Yes, remove"},
    "web_remove_no": {"nl": "Annuleren", "en": "Cancel"},
    "web_remove_choose": {"nl": "Kies eerst een document.", "en": "Choose a document first."},
    "web_remove_confirm": {
        "nl": "{name} wordt uit de documentenmap en de index verwijderd; antwoorden komen er niet meer uit. "
              "Weet u het zeker?",
        "en": "{name} will be removed from the documents folder and the index; answers will no longer come "
              "from it. Are you sure?",
    },
    "web_removing": {"nl": "{name} is verwijderd uit de documentenmap; de index wordt bijgewerkt…",
                     "en": "{name} was removed from the documents folder; updating the index…"},
    "web_removed": {"nl": "Verwijderd: {name}.", "en": "Removed: {name}."},
    "web_remove_failed": {"nl": "{name} kon niet worden verwijderd ({error}).",
                          "en": "{name} could not be removed ({error})."},
    # Gradio's own strings that its Dutch translation lacks (its English ones are complete)
    "gradio_chatbot.copy_message": {"nl": "Bericht kopiëren", "en": "Copy message"},
    "gradio_chatbot.copied_message": {"nl": "Bericht gekopieerd", "en": "Copied message"},
    "gradio_chatbot.complete": {"nl": "Klaar", "en": "Complete"},
    "gradio_aria.upload": {"nl": "Klik om te uploaden of sleep bestanden hierheen", "en": "Click to upload or drop files"},
    "web_kind_pdf": {"nl": "PDF", "en": "PDF"},
    "web_kind_pptx": {"nl": "PowerPoint", "en": "PowerPoint"},
    "web_kind_docx": {"nl": "Word", "en": "Word"},
    "web_kind_md": {"nl": "Markdown", "en": "Markdown"},
    "web_kind_txt": {"nl": "Tekst", "en": "Text"},
}


def message(key: str, language: str = "nl", **values) -> str:
    """One text in `language` ('nl' or 'en'), with `values` filled in."""
    entry = MESSAGES[key]
    text = entry.get(language) or entry.get(language[:2]) or entry["nl"]
    return text.format(**values) if values else text


def texts(language: str) -> dict[str, str]:
    """Every text of one language, by key."""
    if language[:2] not in LANGUAGES:
        language = "nl"
    return {key: entry.get(language) or entry.get(language[:2]) or entry["nl"] for key, entry in MESSAGES.items()}
