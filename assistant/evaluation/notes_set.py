"""How well e-mail drafts follow their notes, on a folder of notes files with an expected.yaml: the greeting
and register, every agreement with its owner and date, no header as an item, the agreed next moment in the
call to action (a placeholder only where the notes fix none), a short specific subject.

    python -m assistant.evaluation.notes_set eval/notes/dev [eval/notes/heldout ...]
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..email.dates import spelled_out
from ..email.draft import SUBJECT_CHARS, compose
from ..corpus.text import words
from ..email.notes import INTERNAL, INTERNAL_ASIDE, INTERNAL_MARK, looks_like_people, notes_header, parse_notes
from ..email.shorthand import in_full
from ..messages import message

CHECKS = ("greeting", "register", "agreements", "no_extra_agreements", "no_header_items", "next_moment", "subject",
          "meeting_date", "no_internal", "points_kept")
_ITEM = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+(.+)$")


@dataclass
class NotesResult:
    file: str
    passed: dict[str, bool]
    agreements_found: int
    agreements_expected: int
    problems: list[str] = field(default_factory=list)


def _section_items(body: str, heading: str) -> list[str]:
    match = re.search(rf"^{re.escape(heading)}\n((?:- .*\n?)+)", body, re.M)
    return [line[2:] for line in match.group(1).splitlines()] if match else []


# Said to the recipient, at the line's start or a clause's: 'Je checkt ...', '... -> you arrange, date?'
_ADDRESSED = re.compile(r"(?:^|[,;?!:]\s+|(?:->|→)\s+)(?:je|u|you)\s", re.I)


def _said_verb(verb: str, line: str) -> bool:
    """The verb in the form said to the recipient ('arranges' -> 'arrange', 'wil' -> 'wilt')."""
    verb = verb.lower()
    return any(len(word) >= 3 and (word.startswith(verb[:max(3, len(verb) - 2)]) or verb.startswith(word))
               for word in re.findall(r"[a-zà-ÿ]+", line.lower()))


def _says(action: str, line: str) -> bool:
    """The agreement line says the action; said to the recipient, its verb may have changed form ('wilt', 'check')."""
    if not _ADDRESSED.search(line):
        return action.lower() in line.lower()
    verb, _, rest = action.partition(" ")
    return rest.lower() in line.lower() if rest else _said_verb(verb, line)


def check_file(path: Path, expected: dict) -> NotesResult:
    text = path.read_text(encoding="utf-8")
    language = expected["language"]
    notes = parse_notes(text)
    subject, body = compose(notes, language, notes.formal)
    problems: list[str] = []
    passed: dict[str, bool] = {}
    first_line = body.splitlines()[0]
    passed["greeting"] = first_line == expected["greeting"]
    if not passed["greeting"]:
        problems.append(f"greeting {first_line!r}, expected {expected['greeting']!r}")
    if language == "nl":
        register = "u" if notes.formal else "je"
        passed["register"] = register == expected["register"]
        if not passed["register"]:
            problems.append(f"register {register}, expected {expected['register']}")
    agreement_lines = _section_items(body, message("email_agreements", language))
    found = 0
    recipient = {n.lower() for n in (notes.recipient.name, notes.recipient.first_name, notes.recipient.surname,
                                     notes.recipient.title) if n} if notes.recipient else set()
    for item in expected["agreements"]:
        wanted = [item["action"]] + [item[k] for k in ("owner", "date") if item.get(k)]
        if item.get("owner") and any(name in item["owner"].lower() for name in recipient):
            # the recipient's own agreement is said to them: 'Je checkt ...', 'U stuurt ...', 'You check ...' (the
            # verb may change its form: 'wil' -> 'wilt', 'checks' -> 'check')
            lines = [line for line in agreement_lines
                     if _says(item["action"], line) and (_ADDRESSED.search(line) or item["owner"].lower() in line.lower())]
            wanted = [item["action"].partition(" ")[2]] + [item[k] for k in ("date",) if item.get(k)]
        else:
            lines = agreement_lines
        wanted = [in_full(w, language) for w in wanted]  # the mail writes the notes' shorthand out
        # the owner and date found, not left as placeholders
        unwanted = [message(k, language) for k, v in (("email_who", item.get("owner")), ("email_when", item.get("date")))
                    if v]
        if any(all(w.lower() in line.lower() for w in wanted) and not any(u in line for u in unwanted)
               for line in lines):
            found += 1
        else:
            problems.append(f"agreement not whole: {' | '.join(wanted)}")
    passed["agreements"] = found == len(expected["agreements"])
    # a point made or a next meeting listed as an agreement
    extra = [line for line in agreement_lines if not any(_says(item["action"], line) for item in expected["agreements"])]
    passed["no_extra_agreements"] = not extra
    if extra:
        problems.append(f"not an agreement: {extra}")
    items = [line[2:].strip().rstrip(":").lower() for line in body.splitlines() if line.startswith("- ")]
    headers = {h.lower() for h in expected["headers"]}
    header_items = [i for i in items if i in headers]
    passed["no_header_items"] = not header_items
    if header_items:
        problems.append(f"headers as items: {header_items}")
    placeholder = "[datum]" if language == "nl" else "[date]"
    closing = body.split(message("email_warm", language if language == "en" or notes.formal else "nl_je"))[0]
    cta = closing.strip().split("\n\n")[-1]
    if expected["next_moment"]:
        forms = {expected["next_moment"].lower(), (spelled_out(expected["next_moment"], language) or "").lower()}
        passed["next_moment"] = placeholder not in cta and any(f and f in cta.lower() for f in forms)
    else:
        passed["next_moment"] = placeholder in cta
    if not passed["next_moment"]:
        problems.append(f"call to action {cta!r} for next moment {expected['next_moment']!r}")
    organisation = expected.get("organisation")
    place = organisation.split()[-1] if organisation else None
    passed["subject"] = len(subject) <= SUBJECT_CHARS and (place is None or place in subject)
    if not passed["subject"]:
        problems.append(f"subject {subject!r}")
    if expected.get("meeting_date"):
        date = spelled_out(expected["meeting_date"], language) or expected["meeting_date"]
        passed["meeting_date"] = date.lower() in (subject + body).lower()
        if not passed["meeting_date"]:
            problems.append(f"meeting date {date!r} not in the draft")
    # What is for our eyes only ('(intern: wethouder leek enthousiaster)') never reaches the recipient.
    said = " ".join(words(subject + " " + body))
    leaked = [line for line in text.splitlines() if INTERNAL.search(line)
              and " ".join(words(INTERNAL.sub("", line))[:4]) in said]
    leaked += [aside.group(0) for line in text.splitlines() for aside in INTERNAL_ASIDE.finditer(line)
               if not INTERNAL.search(line) and " ".join(words(aside.group(0).split(":", 1)[-1])[:4]) in said]
    # and what the set names as ours only, however the notes marked it ('Internal note (not for minutes): ...')
    leaked += [phrase for phrase in expected.get("internal", []) if phrase.lower() in (subject + " " + body).lower()]
    passed["no_internal"] = not leaked
    if leaked:
        problems.append(f"internal note in the draft: {leaked}")
    # Every point of the notes (a bulleted line of four words or more, not under the attendees) is in the
    # draft: most of its longer words are.
    lost = [point for point in _points(text) if not INTERNAL.search(point) and not INTERNAL_MARK.search(point)
            and sum(w in said.split() for w in _long(point)) < 0.5 * len(_long(point))]
    passed["points_kept"] = not lost
    if lost:
        problems.append(f"points of the notes not in the draft: {lost}")
    return NotesResult(path.name, passed, found, len(expected["agreements"]), problems)


def _long(text: str) -> list[str]:
    return [w for w in words(text) if len(w) > 3]


def _points(text: str) -> list[str]:
    """The notes' bulleted lines of four words or more that are not under the attendees' header."""
    points, section = [], None
    for line in text.splitlines():
        item = _ITEM.match(line)
        header = notes_header(line.strip().lstrip("#").strip().strip("*").strip())
        if header and not item:
            section = header[0]
        elif not item and line.strip().startswith("#"):
            section = "other"  # '## Stand van zaken'
        elif item and section != "present" and len(words(item.group(1))) >= 4 and not looks_like_people(item.group(1)):
            points.append(INTERNAL_ASIDE.sub("", item.group(1)))  # without what was ours alone
    return points


def check_folder(folder: Path) -> list[NotesResult]:
    expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    return [check_file(folder / entry["file"], entry) for entry in expected]


def summary(results: list[NotesResult]) -> dict[str, float]:
    figures = {}
    for check in CHECKS:
        counted = [r.passed[check] for r in results if check in r.passed]
        figures[check] = sum(counted) / len(counted) if counted else 1.0
    figures["agreements_recall"] = (sum(r.agreements_found for r in results)
                                    / max(1, sum(r.agreements_expected for r in results)))
    figures["files_all_passed"] = sum(all(r.passed.values()) for r in results) / max(1, len(results))
    return figures


def main(folders: list[str]) -> int:
    for name in folders:
        results = check_folder(Path(name))
        print(f"{name}: {len(results)} notes files")
        for key, value in summary(results).items():
            print(f"  {key:18} {value:.2f}")
        for result in results:
            for problem in result.problems:
                print(f"  {result.file}: {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["eval/notes/dev"]))
