"""The page: Gradio Blocks with three tabs (questions with cited answers and the quoted passages
beside them, follow-up e-mails from meeting notes, the indexed documents with upload), each
component wired to a WebHandlers method. Only this module and server.py know Gradio."""
from __future__ import annotations

import json
from pathlib import Path

from .. import LANGUAGES, MESSAGES, SUPPORTED, Config  # noqa: F401  (sets the offline environment before gradio is imported)

import gradio as gr  # noqa: E402

from .handlers import KEEP, WebHandlers  # noqa: E402
from .indexer import Indexer  # noqa: E402
from .render import banner, header_html, labels, render_citations  # noqa: E402

STATIC_DIR = Path(__file__).resolve().parent / "static"
EXAMPLES = [
    "Hoe benader ik een kleine gemeente?",
    "Wie neem ik mee naar een gesprek met een wethouder?",
    "Wat zet ik in een follow-up mail?",
    "How do I approach a small municipality?",
]
CONCURRENCY = 4  # answers computed at once; more wait in the queue
QUEUE_SIZE = 64


def theme():
    """Gradio's default look with the computer's own fonts: nothing is fetched from a font service."""
    return gr.themes.Default(
        font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
        font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
    )


def css() -> str:
    return (STATIC_DIR / "web.css").read_text(encoding="utf-8")


def _one(value):
    """A handler's value for Gradio: KEEP becomes gr.skip()."""
    return gr.skip() if value is KEEP else value


def _gradio(values) -> tuple:
    return tuple(_one(value) for value in values)


def _choices(value):
    return gr.skip() if value is KEEP else gr.update(choices=value)


def _visible(value):
    return gr.skip() if value is KEEP else gr.update(visible=value)


# Scrolls the chat so that the last question stands at its top and the answer's start below it
# (Gradio's own autoscroll would show the end of a long answer and hide its lead), clear of the label.
SHOW_ANSWER_START = """() => { setTimeout(() => {
  const asked = document.querySelectorAll('#mdt-chatbot [data-testid="user"]');
  const last = asked[asked.length - 1];
  if (!last) return;
  let box = last.parentElement;
  while (box && box !== document.body) {
    const overflow = getComputedStyle(box).overflowY;
    if ((overflow === 'auto' || overflow === 'scroll') && box.scrollHeight > box.clientHeight) break;
    box = box.parentElement;
  }
  if (!box || box === document.body) return;
  // below the chat's label and buttons, which float over the top of the conversation
  const top = box.getBoundingClientRect().top;
  const floating = document.querySelectorAll('#mdt-chatbot [data-testid="block-label"], #mdt-chatbot .icon-button-wrapper');
  let room = 8;
  floating.forEach(el => { const r = el.getBoundingClientRect();
    if (r.height && r.bottom > top && r.top < top + 60) room = Math.max(room, r.bottom - top + 8); });
  box.scrollTop += last.getBoundingClientRect().top - top - room;
}, 100); }"""


# Gradio's own strings ('Drop File Here', 'Copy message', 'Clear') follow the browser's language; these
# follow the page's. Gradio keeps its locale in the svelte-i18n store of its core module and exports
# changeLocale there: the module is found among the page's loaded scripts and imported again (the same
# URL gives the same module), so no Gradio file name is written here. Where it is not found, nothing changes.
SET_GRADIO_LOCALE = """async (lang) => {
  const wanted = lang === "en" ? "en" : "nl";
  const core = performance.getEntriesByType("resource").map(r => r.name)
    .find(name => /\\/assets\\/core-[^/]*\\.js$/.test(name));
  if (!core) return;
  try { const module = await import(core); if (module.changeLocale) module.changeLocale(wanted); } catch (e) { return; }
  // its messages may load first: done when the page's lang says so (the next step draws with them)
  for (let waited = 0; document.documentElement.lang !== wanted && waited < 3000; waited += 50)
    await new Promise(resolve => setTimeout(resolve, 50));
}"""

# Marks the page ready once the load chain (locale, redraw of the upload box) is done: a file chosen
# before the redraw would be dropped by it, so browser tests wait for this mark.
MARK_READY = "() => { document.body.dataset.mdtReady = '1'; }"


# Copies "subject, blank line, body" to the clipboard in the browser and says so (in the page's language);
# where the page is not a secure context (http on another computer than localhost) the older way.
COPY_MAIL = """(subject, body, lang) => {
  const texts = %s;
  const t = texts[lang] || texts.nl;
  const text = (subject || "") + "\\n\\n" + (body || "");
  const byHand = () => {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    let ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    area.remove();
    return ok ? t.ok : t.failed;
  };
  if (navigator.clipboard && window.isSecureContext)
    return navigator.clipboard.writeText(text).then(() => t.ok, byHand);
  return byHand();
}"""


# Before Gradio starts: it takes its locale from the browser's language, so the browser is told the
# page's (?lang=en, else Dutch); and the one label Gradio writes in English whatever the locale (the
# upload area's) is given the page's words whenever it is drawn.
PAGE_LANGUAGE_HEAD = """<script>(() => {
  const lang = new URLSearchParams(location.search).get("lang") === "en" ? "en" : "nl";
  for (const name of ["language", "languages"])
    Object.defineProperty(Navigator.prototype, name, {configurable: true,
                          get: () => name === "language" ? lang : [lang]});
  const upload = %s;
  const relabel = () => document.querySelectorAll('[aria-label="' + upload.en + '"],[aria-label="' + upload.nl + '"]')
    .forEach(el => { const text = upload[document.documentElement.lang === "en" ? "en" : "nl"];
                     if (el.getAttribute("aria-label") !== text) el.setAttribute("aria-label", text); });
  new MutationObserver(relabel).observe(document.documentElement,
    {subtree: true, childList: true, attributes: true, attributeFilter: ["aria-label", "lang"]});
})();</script>"""


def page_language_head() -> str:
    return PAGE_LANGUAGE_HEAD % json.dumps(MESSAGES["gradio_aria.upload"])


def gradio_strings() -> gr.I18n:
    """Gradio's built-in strings its Dutch translation lacks ('Copy message'), from messages.py."""
    dutch: dict = {}
    for key, text in MESSAGES.items():
        if key.startswith("gradio_") and not key.startswith("gradio_aria."):
            group, name = key.removeprefix("gradio_").split(".", 1)
            dutch.setdefault(group, {})[name] = text["nl"]
    return gr.I18n(nl=dutch)


def copy_mail_js() -> str:
    texts = {lang: {"ok": banner("ok", labels(lang)["copied"]), "failed": banner("error", labels(lang)["copy_failed"])}
             for lang in LANGUAGES}
    return COPY_MAIL % json.dumps(texts, ensure_ascii=False)


def register_choices(t: dict) -> list[tuple[str, str]]:
    """The form of address of a Dutch draft: chosen from the notes ('auto'), 'u' or 'je'."""
    return [(t["register_auto"], "auto"), (t["register_u"], "u"), (t["register_je"], "je")]


def build_app(assistant, indexer: Indexer | None = None, index_on_start: bool = True) -> gr.Blocks:
    """The Gradio Blocks of the chat window. Unless index_on_start is False, bringing the index up to
    date starts now, in the background (its progress shows on the page)."""
    indexer = indexer or Indexer(assistant)
    if index_on_start:
        indexer.start()
    handlers = WebHandlers(assistant, indexer)
    nl = labels("nl")

    # Gradio calls these (their names and parameters are what it inspects); the work is in `handlers`.
    def ask(question, lang, session):
        for values in handlers.ask(question, lang, session):
            yield _gradio(values)

    def new_conversation(lang, session):
        messages, sources, question, status, visible, session = handlers.new_conversation(lang, session)
        return messages, sources, question, status, _visible(visible), session

    def like(lang, session, data: gr.LikeData):
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        status, visible = handlers.vote(lang, session, index, data.liked)
        return _one(status), _visible(visible)

    def to_eval(lang, session):
        return handlers.to_eval(lang, session)

    def draft_email(notes, lang, register):
        return _gradio(handlers.draft_email(notes, lang, register))

    def mail_actions(subject, body, lang):
        visible, link, eml, copied = handlers.mail_actions(subject, body, lang)
        return gr.update(visible=visible), link, eml, copied

    documents = handlers.documents

    def upload(files, lang):
        for docs_value, status, files_value, choices in documents.upload(files, lang):
            yield _one(docs_value), _one(status), _one(files_value), _choices(choices)

    def docs_html(lang):
        return documents.docs_html(lang), _choices(documents.choices())

    def ask_remove(source, lang):
        visible, text, status = documents.ask_remove(source, lang)
        return gr.update(visible=visible), text, status

    def remove(source, lang):
        for docs_value, status, visible, choices in documents.remove(source, lang):
            yield _one(docs_value), _one(status), gr.update(visible=visible), _choices(choices)

    def tick(lang):
        status, docs, running = handlers.tick(lang)
        return status, docs, gr.Timer(active=running)

    with gr.Blocks(title="MDT-assistent", analytics_enabled=False) as demo:
        session = gr.State(None)
        with gr.Row(equal_height=False):
            with gr.Column(scale=5):
                header = gr.HTML(header_html("nl"), elem_id="mdt-header")
            with gr.Column(scale=2, min_width=220):
                lang = gr.Radio([("Nederlands", "nl"), ("English", "en")], value="nl",
                                label=nl["language"], elem_id="mdt-lang")
        index_status = gr.HTML(indexer.status_html("nl"), elem_id="mdt-index-status")
        timer = gr.Timer(1.0, active=True)

        with gr.Tabs():
            with gr.Tab(nl["tab_chat"], id="chat", elem_id="mdt-tab-chat") as tab_chat:
                # On a phone (web.css) the two columns become one list: chat, question, sources, examples.
                with gr.Row(equal_height=False, elem_classes=["mdt-chat-row"]):
                    with gr.Column(scale=3, elem_classes=["mdt-chat-main"]):
                        chatbot = gr.Chatbot(
                            label=nl["chatbot"], elem_id="mdt-chatbot", height=460,
                            latex_delimiters=[], sanitize_html=True, allow_tags=False, render_markdown=True,
                            buttons=["copy"], feedback_options=("Like", "Dislike"), autoscroll=False,
                        )
                        with gr.Row(equal_height=True, elem_classes=["mdt-ask-row"]):
                            question = gr.Textbox(
                                label=nl["question"], placeholder=nl["question_placeholder"],
                                elem_id="mdt-question", lines=1, max_lines=6, scale=5, autofocus=True,
                                max_length=2000,
                            )
                            ask_button = gr.Button(nl["ask"], variant="primary", scale=1,
                                                   elem_id="mdt-ask", min_width=120)
                        status = gr.HTML("", elem_id="mdt-chat-status", elem_classes=["mdt-status"])
                        examples_label = gr.Markdown(nl["examples"])
                        with gr.Row(elem_classes=["mdt-examples"]):
                            example_buttons = [gr.Button(text, size="sm", variant="secondary", min_width=140)
                                               for text in EXAMPLES]
                        with gr.Row():
                            new_button = gr.Button(nl["new"], elem_id="mdt-new", variant="secondary")
                            eval_button = gr.Button(nl["to_eval"], elem_id="mdt-to-eval",
                                                    variant="secondary", visible=False)
                    with gr.Column(scale=2, elem_classes=["mdt-chat-side"]):
                        sources = gr.HTML(render_citations([], [], "nl"), elem_id="mdt-sources")

            with gr.Tab(nl["tab_email"], id="email", elem_id="mdt-tab-email") as tab_email:
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        notes = gr.Textbox(label=nl["notes"], placeholder=nl["notes_placeholder"],
                                           lines=10, max_lines=30, elem_id="mdt-notes", max_length=20000)
                        register = gr.Radio(register_choices(nl), value="auto", label=nl["register"],
                                            info=nl["register_info"], elem_id="mdt-register")
                        draft_button = gr.Button(nl["draft"], variant="primary", elem_id="mdt-draft")
                        email_status = gr.HTML("", elem_id="mdt-email-status", elem_classes=["mdt-status"])
                        subject = gr.Textbox(label=nl["subject"], elem_id="mdt-subject", buttons=["copy"],
                                             interactive=True, lines=1)
                        body = gr.Textbox(label=nl["body"], elem_id="mdt-body", buttons=["copy"],
                                          interactive=True, lines=14, max_lines=40)
                        # Hidden until there is a draft; always for the subject and body as they stand.
                        with gr.Row(visible=False, equal_height=True, elem_id="mdt-mail-actions") as mail_row:
                            mail_link = gr.HTML("", elem_id="mdt-mailto", scale=1, min_width=160)
                            copy_button = gr.Button(nl["copy_mail"], variant="secondary", elem_id="mdt-copy-mail",
                                                    scale=1, min_width=160)
                            eml_button = gr.DownloadButton(nl["download_eml"], value=None, variant="secondary",
                                                           elem_id="mdt-eml", scale=1, min_width=160)
                        copy_status = gr.HTML("", elem_id="mdt-copy-status", elem_classes=["mdt-status"])
                    with gr.Column(scale=2):
                        tips = gr.HTML(render_citations([], [], "nl", title=nl["tips"], empty=nl["tips_empty"]),
                                       elem_id="mdt-tips")

            with gr.Tab(nl["tab_docs"], id="docs", elem_id="mdt-tab-docs") as tab_docs:
                docs = gr.HTML("", elem_id="mdt-docs")
                upload_files = gr.File(label=nl["upload"], file_count="multiple",
                                       file_types=sorted(SUPPORTED), elem_id="mdt-upload")
                upload_button = gr.Button(nl["upload_button"], variant="primary", elem_id="mdt-upload-button",
                                          interactive=False)  # enabled once a file has finished uploading
                upload_status = gr.HTML("", elem_id="mdt-upload-status", elem_classes=["mdt-status"])
                with gr.Row(equal_height=True, elem_id="mdt-manage", elem_classes=["mdt-manage-row"]):
                    doc_choice = gr.Dropdown(choices=documents.choices(), value=None, label=nl["doc_choice"],
                                             elem_id="mdt-doc-choice", scale=4)
                    remove_button = gr.Button(nl["remove"], variant="secondary", elem_id="mdt-remove", scale=1,
                                              min_width=140)
                with gr.Column(visible=False, elem_id="mdt-confirm") as confirm_box:  # removal asks first
                    confirm_text = gr.HTML("")
                    with gr.Row():
                        remove_yes = gr.Button(nl["remove_yes"], variant="stop", elem_id="mdt-remove-yes")
                        remove_no = gr.Button(nl["remove_no"], variant="secondary", elem_id="mdt-remove-no")

        # ---- events -------------------------------------------------------------------------------
        chat_outputs = [chatbot, sources, question, status, session]
        ask_event = dict(fn=ask, inputs=[question, lang, session], outputs=chat_outputs,
                         concurrency_limit=CONCURRENCY, concurrency_id="answers", show_progress="hidden")
        # The chat shows the start of a new answer, not its end: the question scrolls to the top.
        ask_button.click(api_name="ask", **ask_event).then(None, js=SHOW_ANSWER_START)
        question.submit(api_visibility="private", **ask_event).then(None, js=SHOW_ANSWER_START)
        for button, text in zip(example_buttons, EXAMPLES):
            button.click(lambda text=text: text, None, question, queue=False, api_visibility="private").then(
                api_visibility="private", **ask_event).then(None, js=SHOW_ANSWER_START)
        new_button.click(new_conversation, [lang, session], [chatbot, sources, question, status, eval_button, session],
                         api_name="new_conversation", queue=False)
        chatbot.clear(new_conversation, [lang, session], [chatbot, sources, question, status, eval_button, session],
                      api_visibility="private", queue=False)
        chatbot.like(like, [lang, session], [status, eval_button], api_visibility="private", queue=False)
        eval_button.click(to_eval, [lang, session], status, api_visibility="private", queue=False)

        draft_button.click(draft_email, [notes, lang, register], [subject, body, tips, email_status], api_name="email",
                           concurrency_limit=CONCURRENCY, concurrency_id="answers", show_progress="minimal")
        # One listener for both boxes, its last call winning: the link and the file follow every edit.
        gr.on([subject.change, body.change], mail_actions, [subject, body, lang],
              [mail_row, mail_link, eml_button, copy_status], queue=False, trigger_mode="always_last",
              api_visibility="private", show_progress="hidden")
        copy_button.click(None, [subject, body, lang], copy_status, js=copy_mail_js(), queue=False,
                          api_visibility="private")

        upload_files.change(lambda files: gr.update(interactive=bool(files)), upload_files, upload_button,
                            api_visibility="private", queue=False, show_progress="hidden")
        upload_button.click(upload, [upload_files, lang], [docs, upload_status, upload_files, doc_choice],
                            api_visibility="private", concurrency_limit=2, show_progress="hidden")
        tab_docs.select(docs_html, lang, [docs, doc_choice], api_visibility="private", queue=False)
        remove_button.click(ask_remove, [doc_choice, lang], [confirm_box, confirm_text, upload_status],
                            api_visibility="private", queue=False)
        remove_no.click(lambda: gr.update(visible=False), None, confirm_box, api_visibility="private", queue=False)
        remove_yes.click(remove, [doc_choice, lang], [docs, upload_status, confirm_box, doc_choice],
                         api_visibility="private", concurrency_limit=2, show_progress="hidden")
        timer.tick(tick, lang, [index_status, docs, timer], api_visibility="private", queue=False,
                   show_progress="hidden")

        relabeled = [header, lang, tab_chat, tab_email, tab_docs, chatbot, question, ask_button, examples_label,
                     new_button, eval_button, notes, draft_button, subject, body, upload_files, upload_button,
                     register, copy_button, eml_button, mail_link, doc_choice, remove_button, remove_yes, remove_no]

        def relabel(language, session_value, subject_value="", body_value=""):
            t = labels(language)
            updates = [
                header_html(language), gr.update(label=t["language"]),
                gr.update(label=t["tab_chat"]), gr.update(label=t["tab_email"]), gr.update(label=t["tab_docs"]),
                gr.update(label=t["chatbot"]),
                gr.update(label=t["question"], placeholder=t["question_placeholder"]),
                gr.update(value=t["ask"]), t["examples"], gr.update(value=t["new"]), gr.update(value=t["to_eval"]),
                gr.update(label=t["notes"], placeholder=t["notes_placeholder"]), gr.update(value=t["draft"]),
                gr.update(label=t["subject"]), gr.update(label=t["body"]), gr.update(label=t["upload"]),
                gr.update(value=t["upload_button"]),
                gr.update(label=t["register"], info=t["register_info"], choices=register_choices(t)),
                gr.update(value=t["copy_mail"]), gr.update(label=t["download_eml"]),
                handlers.mail_link(subject_value, body_value, language),
                gr.update(label=t["doc_choice"]), gr.update(value=t["remove"]), gr.update(value=t["remove_yes"]),
                gr.update(value=t["remove_no"]),
            ]
            return updates + list(handlers.panels(language, session_value))

        # Gradio's own strings ('Copy message') are set when a component is drawn, in the locale of that
        # moment: the components that show them are hidden while the locale changes and drawn again
        # after (their values stay), at start and when the language changes.
        redrawn = [upload_files, chatbot]

        def hide():
            return [gr.update(visible=False)] * len(redrawn)

        def show():
            return [gr.update(visible=True)] * len(redrawn)

        private = dict(queue=False, api_visibility="private")
        lang.input(hide, None, redrawn, **private).then(None, lang, None, js=SET_GRADIO_LOCALE).then(
            relabel, [lang, session, subject, body], relabeled + [sources, index_status, docs], **private).then(
            show, None, redrawn, **private)

        def on_load(session_value, request: gr.Request):
            language = handlers.page_language(request.query_params.get("lang") if request else None)
            if language == "nl":
                skipped = [gr.skip() for _ in relabeled[1:]]
                return ([gr.skip()] + skipped + [gr.skip(), indexer.status_html("nl"), documents.docs_html("nl"),
                                                  gr.Timer(active=indexer.running)])
            updates = relabel(language, session_value)
            updates[1] = gr.update(value=language, label=labels(language)["language"])
            return updates + [gr.Timer(active=indexer.running)]

        demo.load(on_load, [session], relabeled + [sources, index_status, docs, timer], **private).then(
            hide, None, redrawn, **private).then(None, lang, None, js=SET_GRADIO_LOCALE).then(
            show, None, redrawn, **private).then(None, None, None, js=MARK_READY)

    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    demo.mdt_indexer = indexer  # serve() and tests reach the indexer through the app
    demo.mdt_handlers = handlers
    return demo
