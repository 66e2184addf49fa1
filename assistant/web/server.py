"""Serving the chat window: the Gradio app at /, the corpus files under /corpus/ (so a source link
opens the PDF at its page), a status document at /mdt-status, one login for all of it, and the
request guards of access.py in front.

`serve()` runs it with uvicorn on 127.0.0.1:7860 by default and brings the index up to date in the
background on start, showing the progress on the page and in the console.
"""
from __future__ import annotations

import socket
import sys
from pathlib import Path

from .. import AccessError, Config, UnreadableDocument, read_document  # noqa: F401  (the package sets the offline environment before gradio is imported)

import gradio as gr  # noqa: E402
from fastapi import Request  # noqa: E402  (at module level: FastAPI resolves the handlers' annotations here)

from .access import LoginLimiter, RequestGuard, access_credentials, allowed_hosts  # noqa: E402
from .indexer import Indexer  # noqa: E402
from .layout import build_app, css, gradio_strings, page_language_head, theme  # noqa: E402
from .render import VIEW_QUOTE_CHARS, render_document_view  # noqa: E402

MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".md": "text/plain; charset=utf-8", ".markdown": "text/plain; charset=utf-8", ".txt": "text/plain; charset=utf-8",
}


def create_server(assistant, demo: gr.Blocks, auth: list[tuple[str, str]] | None = None,
                  host: str = "127.0.0.1"):
    """A FastAPI app: the corpus files under /corpus/ (only files inside the corpus folder), a small
    status document at /mdt-status, and the Gradio app at /. With `auth`, everything needs one login:
    Gradio's login page gives a session that the files and the status accept too; scripts may send
    HTTP basic credentials instead. In front of it all, RequestGuard (see access.py)."""
    import secrets

    from fastapi import Depends, FastAPI, HTTPException
    from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
    from fastapi.security import HTTPBasic, HTTPBasicCredentials
    from starlette.routing import Mount

    basic = HTTPBasic(auto_error=False)
    limiter = LoginLimiter()
    mounted: dict = {}

    def session_user(request: Request) -> str | None:
        gradio_app = mounted.get("app")
        if gradio_app is None:
            return None
        token = (request.cookies.get(f"access-token-{gradio_app.cookie_id}")
                 or request.cookies.get(f"access-token-unsecure-{gradio_app.cookie_id}"))
        return gradio_app.tokens.get(token) if token else None

    def login(request: Request, credentials: HTTPBasicCredentials | None = Depends(basic)):
        if auth is None or session_user(request) is not None:
            return
        client = request.client.host if request.client else "?"
        if credentials is not None:
            wait = limiter.retry_after(client)
            if wait:
                raise HTTPException(status_code=429, detail="too many failed logins; try again later",
                                    headers={"Retry-After": str(int(wait) + 1)})
            if any(secrets.compare_digest(credentials.username, user)
                   and secrets.compare_digest(credentials.password, password) for user, password in auth):
                return
            limiter.failed(client)
        raise HTTPException(status_code=401, detail="login required", headers={"WWW-Authenticate": "Basic"})

    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None, dependencies=[Depends(login)])
    root = Path(assistant.config.corpus_dir)
    indexer: Indexer = demo.mdt_indexer

    def corpus_target(path: str) -> tuple[Path, Path]:
        """(the file, its path in the corpus folder): only a listed kind of file really inside the folder."""
        base = root.resolve()
        try:
            target = (base / path).resolve(strict=True)
        except (OSError, RuntimeError, ValueError):  # ValueError: a NUL byte in the name
            raise HTTPException(status_code=404, detail="not found") from None
        if not target.is_relative_to(base) or not target.is_file():
            raise HTTPException(status_code=404, detail="not found")
        relative = target.relative_to(base)
        if any(part.startswith(".") for part in relative.parts) or target.suffix.lower() not in MEDIA_TYPES:
            raise HTTPException(status_code=404, detail="not found")
        return target, relative

    @app.get("/mdt-view/{path:path}")
    def document_view(path: str, section: str = "", q: str = "", lang: str = "nl"):
        """A document without pages as readable text, the cited section marked and the quote highlighted."""
        target, relative = corpus_target(path)
        try:
            document = read_document(target, source=relative.as_posix(), root=root.resolve())
        except UnreadableDocument as error:
            raise HTTPException(status_code=404, detail=str(error)) from None
        page = render_document_view(document, section[:500], q[:VIEW_QUOTE_CHARS], "en" if lang == "en" else "nl")
        return HTMLResponse(page, headers={"X-Content-Type-Options": "nosniff",
                                           "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"})

    @app.get("/corpus/{path:path}")
    def corpus_file(path: str):
        target, _ = corpus_target(path)
        return FileResponse(target, media_type=MEDIA_TYPES[target.suffix.lower()], filename=target.name,
                            content_disposition_type="inline", headers={"X-Content-Type-Options": "nosniff"})

    def within(detail) -> dict:
        """Progress inside the document being indexed: the page OCR reads, or the texts embedded so far."""
        if not detail:
            return {"ocr": None}
        kind, done, total, page = detail
        if kind == "ocr":
            return {"ocr": {"page": page, "done": done, "of": total}}
        return {"ocr": None, "embedded": {"done": done, "of": total}}

    @app.get("/mdt-status")
    def status():
        report, error = indexer.last
        progress = indexer.progress
        return JSONResponse({
            "indexing": indexer.running, "ready": indexer.ready,
            "progress": {"document": progress[0], "of": progress[1], "source": progress[2],
                         **within(progress[3])} if progress else None,
            "documents": report.documents if report else None, "chunks": report.chunks if report else None,
            "failed": report.failed if report else [], "error": error,
        })

    gr.mount_gradio_app(
        app, demo, path="/", footer_links=[], show_error=False, ssr_mode=False, pwa=False, mcp_server=False,
        max_file_size="100mb", theme=theme(), css=css(), enable_monitoring=False, auth=auth,
        i18n=gradio_strings(), head=page_language_head(),
    )
    mounted["app"] = next(route.app for route in app.routes if isinstance(route, Mount))
    # Gradio checks that a file input names a file of its own upload folder only once the app "has
    # launched"; a mounted app never launches, so without this any server file could be sent as an
    # "upload" (the upload handler checks it again: checked_upload).
    demo.has_launched = True
    app.add_middleware(RequestGuard, hosts=allowed_hosts(host, assistant.config.allowed_hosts), limiter=limiter)
    return app


def serve(assistant, host: str = "127.0.0.1", port: int = 7860) -> int:
    """Serve the chat window until Ctrl-C; the exit code for the command line."""
    import uvicorn

    try:
        auth = access_credentials(host, assistant.config.auth)
    except AccessError as error:
        print(f"mdt-assistent: {error}", file=sys.stderr)
        return 2
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        print(f"mdt-assistent: cannot listen on {host}:{port} ({error.strerror or error}); "
              f"stop the program using it or choose another port with --port", file=sys.stderr)
        return 1
    if auth:
        print(f"MDT-assistent: listening on {host}; a login is required (MDT_AUTH, {len(auth)} user(s)).",
              file=sys.stderr)
    indexer = Indexer(assistant, console=True)
    demo = build_app(assistant, indexer=indexer)
    app = create_server(assistant, demo, auth=auth, host=host)
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    print(f"MDT-assistent: open http://{shown}:{port}/ in your browser (Ctrl-C stops).", file=sys.stderr, flush=True)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=2))
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    return 0
