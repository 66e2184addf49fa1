"""A draft handed to the user's mail program: an .eml message to open, or a mailto: link."""
from __future__ import annotations

import re
from email.message import EmailMessage
from email.policy import default
from urllib.parse import quote


def to_eml(subject: str, body: str, to: str | None = None) -> bytes:
    """An unsent message (UTF-8, quoted-printable) that mail programs open as a draft."""
    message = EmailMessage(policy=default)  # lines end in \n, as the body was written
    message["Subject"] = subject
    if to:
        message["To"] = to
    message["X-Unsent"] = "1"  # Outlook and others open it as a draft to send, not a received mail
    message.set_content(body, charset="utf-8", cte="quoted-printable")
    return message.as_bytes()


def mailto_link(subject: str, body: str, to: str = "") -> str:
    """mailto: with subject and body percent-encoded (RFC 6068: line breaks as %0D%0A)."""
    body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    return f"mailto:{quote(to)}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"


def eml_name(subject: str) -> str:
    """A file name from the subject: 'Opvolging gesprek MDT – gemeente Zwolle' -> 'opvolging-gesprek-mdt-gemeente-zwolle.eml'."""
    slug = re.sub(r"[^\w]+", "-", subject.lower(), flags=re.ASCII).strip("-")[:60].strip("-")
    return f"{slug or 'opvolging'}.eml"
