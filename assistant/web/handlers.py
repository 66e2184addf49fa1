"""What the page's buttons do, without Gradio: plain values in, plain values out.

`WebHandlers` answers questions, records votes and drafts e-mails for one Assistant; its `documents`
(documents.py) lists, takes and removes the corpus files.
Each method returns (or, while it works, yields) a tuple in the order of the components it updates;
KEEP marks one it leaves as it is (layout.py turns it into gr.skip()). Tests call these directly.
"""
from __future__ import annotations

import hashlib
import os
import queue
import tempfile
import threading
import time
import traceback
import uuid
from pathlib import Path

from .. import (LANGUAGES, FeedbackStore, IndexMissing, NotesError, add_eval_case, eml_name, mailto_link, normalise,
               to_eml)
from .documents import DocumentsTab
from .indexer import Indexer
from .render import KEEP, banner, esc, labels, md_literal, render_answer_message, render_citations


MAIL_FILES_KEPT = 600  # seconds an .eml file stays in the temporary folder (Gradio serves its own copy)
# The link looks like the buttons beside it (web.css is shared by the whole page; this is the link's own).
MAILTO_STYLE = ("display:flex;align-items:center;justify-content:center;box-sizing:border-box;width:100%;"
                "min-height:var(--size-14,3.5rem);padding:var(--button-large-padding);text-align:center;"
                "border-radius:var(--button-large-radius);font-size:var(--button-large-text-size);"
                "font-weight:var(--button-large-text-weight);text-decoration:none;"
                "color:var(--button-primary-text-color);background:var(--button-primary-background-fill)")


class ChatSession:
    """One browser session's conversation (gr.State), never shared."""

    def __init__(self, assistant):
        self.id = uuid.uuid4().hex[:12]
        self.conversation = assistant.new_conversation()
        self.messages: list[dict] = []
        self.answers: dict[int, dict] = {}  # index of the assistant message -> what was asked and answered
        self.last_answer = None
        self.downvoted: dict | None = None  # the feedback entry of the last downvoted answer

    def reset(self) -> None:
        self.conversation.clear()
        self.messages = []
        self.answers = {}
        self.last_answer = None
        self.downvoted = None


class WebHandlers:
    def __init__(self, assistant, indexer: Indexer, votes: FeedbackStore | None = None,
                 cases_file: Path | None = None, mail_dir: Path | None = None):
        self.assistant = assistant
        self.indexer = indexer
        self.votes = votes or FeedbackStore(assistant.config.votes_path)
        self.cases_file = Path(cases_file or assistant.config.eval_cases_path)
        self.documents = DocumentsTab(assistant, indexer)
        self.mail_dir = Path(mail_dir) if mail_dir else None  # .eml files; a temporary folder unless given
        self._mail_tmp: tempfile.TemporaryDirectory | None = None

    def session(self, value) -> ChatSession:
        return value if isinstance(value, ChatSession) else ChatSession(self.assistant)

    # -- chat: yields (messages, sources, question, status, session) ------------------------------------
    def ask(self, question, lang, session):
        t = labels(lang)
        session = self.session(session)
        question = question if isinstance(question, str) else ""
        limit = self.assistant.config.question_chars
        if len(question) > limit:  # checked here too: the page's own limit binds only the page
            yield (session.messages, KEEP, KEEP,
                   banner("error", t["long_question"].format(chars=len(question), limit=limit)), session)
            return
        question = normalise(question)
        if not question:
            yield session.messages, KEEP, KEEP, banner("info", t["empty_question"]), session
            return
        if not self.indexer.ready:
            yield session.messages, KEEP, question, self._not_ready(t), session
            return
        messages = session.messages + [{"role": "user", "content": md_literal(question)},
                                       {"role": "assistant", "content": "…"}]
        yield messages, KEEP, "", banner("info", t["searching"]), session

        tokens: queue.Queue = queue.Queue()
        outcome: dict = {}

        def work():
            try:
                outcome["answer"] = self.assistant.ask(question, conversation=session.conversation,
                                                       on_token=tokens.put)
            except Exception as exc:  # shown plainly below
                outcome["error"] = exc
            finally:
                tokens.put(None)

        worker = threading.Thread(target=work, name="mdt-ask", daemon=True)
        worker.start()
        text, last_yield = "", 0.0
        while True:
            try:
                token = tokens.get(timeout=0.2)
            except queue.Empty:
                continue
            if token is None:
                break
            first = not text
            text += token
            if first or time.monotonic() - last_yield > 0.08:
                messages[-1] = {"role": "assistant", "content": md_literal(text) + " ▍"}
                last_yield = time.monotonic()
                yield messages, KEEP, "", banner("info", t["writing"]) if first else KEEP, session
        worker.join()

        error = outcome.get("error")
        if error is not None:
            yield session.messages, KEEP, question, banner("error", self._ask_failure(error, t)), session
            return
        answer = outcome["answer"]
        messages[-1] = {"role": "assistant", "content": render_answer_message(answer, lang)}
        session.messages = messages
        session.answers[len(messages) - 1] = {
            "question": question, "answer": answer.answer, "mode": answer.mode, "abstained": answer.abstained,
            "language": answer.language, "citations": [c.to_json() for c in answer.citations],
        }
        session.last_answer = answer
        sources = render_citations(answer.citations, answer.passages, lang,
                                   empty=t["sources_none"] if answer.abstained else None)
        status = banner("warn", answer.notice) if answer.notice else ""
        yield messages, sources, "", status, session

    def _not_ready(self, t: dict) -> str:
        return banner("busy", t["not_ready"].format(progress=self.indexer.progress_text()))

    def _ask_failure(self, error: Exception, t: dict) -> str:
        if isinstance(error, IndexMissing) and self.indexer.running:
            return t["not_ready"].format(progress=self.indexer.progress_text())
        if isinstance(error, IndexMissing):
            failure = self.indexer.last[1]
            return t["index_failed"].format(error=failure) if failure else t["no_index"]
        traceback.print_exception(error)
        return t["failed"].format(error=str(error) or type(error).__name__)

    def new_conversation(self, lang, session):
        """(messages, sources, question, status, eval button visible, session)"""
        t = labels(lang)
        if isinstance(session, ChatSession):
            session.reset()
        else:
            session = ChatSession(self.assistant)
        return [], render_citations([], [], lang), "", banner("info", t["new_done"]), False, session

    def vote(self, lang, session, index, liked):
        """A thumb on the answer at message `index` (liked True, False or None: withdrawn):
        (status, eval button visible)."""
        t = labels(lang)
        if not isinstance(session, ChatSession):
            return KEEP, KEEP
        record = session.answers.get(index)
        if record is None:
            return KEEP, KEEP
        vote = "up" if liked is True else "down" if liked is False else "none"
        entry = self.votes.add(vote, record["question"], record["answer"], record["citations"], mode=record["mode"],
                               abstained=record["abstained"], language=record["language"], session=session.id)
        if vote == "down":
            session.downvoted = entry
        elif session.downvoted and session.downvoted.get("question") == record["question"]:
            session.downvoted = None
        return banner("ok", t[f"vote_{vote}"]), session.downvoted is not None

    def to_eval(self, lang, session) -> str:
        """The last downvoted answer's question into the evaluation cases: the status."""
        t = labels(lang)
        if not isinstance(session, ChatSession) or session.downvoted is None:
            return banner("info", t["eval_none"])
        try:
            item, added = add_eval_case(session.downvoted, self.cases_file)
        except (OSError, ValueError) as exc:
            return banner("error", t["failed"].format(error=str(exc)))
        return banner("ok", t["eval_done" if added else "eval_again"].format(id=item["id"]))

    # -- e-mail: (subject, body, tips, status) ----------------------------------------------------------
    def draft_email(self, notes, lang, register=None):
        """`register`: 'u' or 'je' for a Dutch draft; anything else ('auto', None) lets the assistant choose."""
        t = labels(lang)
        notes = notes if isinstance(notes, str) else ""
        if not notes.strip():
            return KEEP, KEEP, KEEP, banner("info", t["notes_empty"])
        limit = self.assistant.config.notes_chars
        if len(notes) > limit:
            return KEEP, KEEP, KEEP, banner("error", t["long_notes"].format(chars=len(notes), limit=limit))
        if not self.indexer.ready:
            return KEEP, KEEP, KEEP, self._not_ready(t)
        try:
            draft = self.assistant.email(notes, register=register if register in ("u", "je") else None)
        except NotesError as exc:
            text = getattr(exc, "dutch", str(exc)) if lang == "nl" else str(exc)
            return KEEP, KEEP, KEEP, banner("error", text)
        except Exception as exc:
            traceback.print_exception(exc)
            return KEEP, KEEP, KEEP, banner("error", t["failed"].format(error=str(exc) or type(exc).__name__))
        # The advice as short quotes, each with the part of the draft that follows it; the page is one click away.
        used_for: dict[int, list[str]] = {}
        for item in draft.advice:
            used_for.setdefault(item["n"], []).append(t[f"part_{item['part']}"])
        tips = render_citations(draft.citations, [], lang, title=t["tips"], empty=t["tips_empty"],
                                notes={n: t["used_for"].format(parts=", ".join(dict.fromkeys(p))) for n, p in used_for.items()})
        used = draft.register  # 'u' or 'je' for a Dutch draft, None for an English one
        if draft.notice:
            status = banner("warn", draft.notice + (" " + t["draft_register"].format(register=used) if used else ""))
        else:
            status = banner("ok", t["draft_done_register"].format(register=used) if used else t["draft_done"])
        return draft.subject, draft.body, tips, status

    # -- the draft to the mail program: (actions visible, mailto link, .eml file, copy status) ------------
    def mail_actions(self, subject, body, lang):
        """For the subject and body as they stand now (the user may have edited them): a mailto: link
        and an .eml file of them; nothing, and hidden, while both are empty."""
        subject = subject if isinstance(subject, str) else ""
        body = body if isinstance(body, str) else ""
        if not subject.strip() and not body.strip():
            return False, "", None, ""
        return True, self.mail_link(subject, body, lang), str(self.eml_file(subject, body)), ""

    @staticmethod
    def mail_link(subject, body, lang) -> str:
        """The 'open in your mail program' link (HTML), empty while there is no draft."""
        subject = subject if isinstance(subject, str) else ""
        body = body if isinstance(body, str) else ""
        if not subject.strip() and not body.strip():
            return ""
        return (f'<a class="mdt-mailto" href="{esc(mailto_link(subject, body))}" style="{MAILTO_STYLE}">'
                f'{esc(labels(lang)["open_mail"])}</a>')

    def eml_file(self, subject: str, body: str) -> Path:
        """The draft as an unsent message, named after its subject, in a temporary folder of its own
        (never the corpus or the index); the same text gives the same file. Old files are removed."""
        data = to_eml(subject, body)
        base = self._mail_base()
        self._prune(base)
        folder = base / hashlib.sha256(data).hexdigest()[:20]
        path = folder / eml_name(subject)
        partial = folder / f".{uuid.uuid4().hex}.part"
        for attempt in range(2):
            try:
                folder.mkdir(parents=True, exist_ok=True)
                partial.write_bytes(data)
                os.replace(partial, path)  # another session writing the same draft never sees half a file
                return path
            except FileNotFoundError:  # an old folder of the same text, pruned meanwhile by another session
                if attempt:
                    raise
        return path

    def _mail_base(self) -> Path:
        if self.mail_dir is not None:
            return self.mail_dir
        if self._mail_tmp is None:
            self._mail_tmp = tempfile.TemporaryDirectory(prefix="mdt-eml-")  # removed when the app stops
        return Path(self._mail_tmp.name)

    @staticmethod
    def _prune(base: Path) -> None:
        cutoff = time.time() - MAIL_FILES_KEPT
        for folder in base.glob("*") if base.is_dir() else ():
            try:
                if folder.is_dir() and folder.stat().st_mtime < cutoff:
                    for file in folder.iterdir():
                        file.unlink()
                    folder.rmdir()
            except OSError:  # another session is pruning or writing it
                pass

    # -- status and language -------------------------------------------------------------------------
    def tick(self, lang):
        """(index status, documents, whether to keep polling)"""
        running = self.indexer.running
        return self.indexer.status_html(lang), self.documents.docs_html(lang), running

    def panels(self, lang, session):
        """The parts of the page that are not labels, in `lang`: (sources, index status, documents)."""
        t = labels(lang)
        last = session.last_answer if isinstance(session, ChatSession) else None
        if last is not None:
            sources = render_citations(last.citations, last.passages, lang,
                                       empty=t["sources_none"] if last.abstained else None)
        else:
            sources = render_citations([], [], lang)
        return sources, self.indexer.status_html(lang), self.documents.docs_html(lang)

    @staticmethod
    def page_language(wanted: str | None) -> str:
        """The language asked for in the address (?lang=en), Dutch unless it is one the page has."""
        wanted = (wanted or "nl").lower()
        return wanted if wanted in LANGUAGES else "nl"
