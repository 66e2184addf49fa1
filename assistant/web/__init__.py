"""The chat window in the browser (see server.py, layout.py, handlers.py).

    from assistant.web import serve
    serve(assistant, host="127.0.0.1", port=7860)
"""
from .handlers import KEEP, ChatSession, WebHandlers
from .indexer import Indexer
from .layout import build_app
from .server import create_server, serve

__all__ = ["serve", "create_server", "build_app", "WebHandlers", "ChatSession", "Indexer", "KEEP"]
