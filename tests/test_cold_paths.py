"""The commands scripts run again and again load only what they use: `ask`, `retrieve` and an ingest
that finds nothing changed never import llama-index, gradio or torch (measured by the modules loaded
in a real process, not by time). And the llama-index faces of the assistant's parts still work."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from helpers import cli_env

HEAVY = ("llama_index", "gradio", "torch", "transformers", "sentence_transformers", "openai")
PROBE = """
import json, sys
from assistant.cli import main
code = main(sys.argv[1:])
heavy = sorted({name.split(".")[0] for name in sys.modules} & set(%r))
print("\\n" + json.dumps({"code": code, "heavy": heavy}))
""" % (HEAVY,)


@pytest.mark.parametrize("args", [["ask", "Hoe benader ik een kleine gemeente?", "--json"],
                                  ["retrieve", "regiofacilitator", "--json"],
                                  ["ingest", "--json"]])
def test_cold_commands_import_only_what_they_use(bundled, args):
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120,
                          env=cli_env(bundled.config.corpus_dir, bundled.config.index_dir))
    probe = json.loads(done.stdout.strip().splitlines()[-1])
    assert probe["code"] == 0, done.stderr
    assert probe["heavy"] == [], f"{args[0]} imported {probe['heavy']}"
    if args[0] == "ingest":
        report = json.loads(done.stdout[:done.stdout.rindex("\n{")])
        assert report["added"] == report["updated"] == [] and report["texts_embedded"] == 0


def test_the_llama_index_faces_of_the_retriever_and_the_embedding(bundled):
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from llama_index.core.retrievers import BaseRetriever

    from assistant import LlamaIndexEmbedding, LlamaIndexRetriever

    retriever = LlamaIndexRetriever(bundled.retriever)
    assert isinstance(retriever, BaseRetriever)
    nodes = retriever.retrieve("Hoe benader ik een kleine gemeente?")
    assert nodes[0].node.metadata["source"] == "samenwerken-met-gemeenten.pdf" and nodes[0].node.metadata["page"] == 5
    assert [n.node.id_ for n in nodes] == [p.id for p in bundled.retrieve("Hoe benader ik een kleine gemeente?")]

    embedding = LlamaIndexEmbedding(bundled.embedding)
    assert isinstance(embedding, BaseEmbedding) and embedding.model_name == bundled.embedding.model_name
    question = "Wat doet een regiofacilitator?"
    assert embedding.get_query_embedding(question) == bundled.embedding.get_query_embedding(question)
    texts = [f"Zin nummer {n} over jongeren en gemeenten." for n in range(40)]
    assert embedding.get_text_embedding_batch(texts) == bundled.embedding.get_text_embedding_batch(texts)
