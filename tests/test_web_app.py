import json

import pytest

pytest.importorskip("flask")

from classify.cli import main  # noqa: E402
from classify.web.app import MAX_BODY, MAX_TEXTS, create_app  # noqa: E402

from web_helpers import LiveServer, request  # noqa: E402


@pytest.fixture(scope="module")
def server(model, model_path):
    live = LiveServer(create_app(model, model_path))
    yield live
    live.stop()


def test_predict_rows_are_the_cli_jsonl_rows(server, model_path, seed_article, tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text(seed_article, encoding="utf-8")
    assert main(["predict", "--model", str(model_path), "--file", str(article), "--format", "jsonl"]) == 0
    cli_rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    status, body = request(server.url + "/predict", "POST", {"article": seed_article})
    assert status == 200 and body["rows"] == cli_rows
    status, body = request(server.url + "/predict", "POST", {"texts": [r["text"] for r in cli_rows]})
    assert status == 200 and body["rows"] == cli_rows


def test_explain_and_flags(server):
    status, body = request(server.url + "/predict", "POST", {"texts": ["قصف مدفعي على الحي", "English only"],
                                                             "explain": 3})
    assert status == 200
    first, second = body["rows"]
    assert 0 < len(first["explanation"]) <= 3 and set(first["explanation"][0]) == {"ngram", "weight"}
    assert second["flags"] == ["non_arabic"]


@pytest.mark.parametrize("body, content_type, status, fragment", [
    (b"{not json", "application/json", 400, "invalid JSON"),
    (b"\xff\xfe", "application/json", 400, "invalid JSON"),
    (b"[1, 2]", "application/json", 400, "JSON object"),
    ({"texts": "one string"}, "application/json", 400, "list of strings"),
    ({"texts": [1, 2]}, "application/json", 400, "list of strings"),
    ({"article": 5}, "application/json", 400, "must be a string"),
    ({"texts": [], "article": ""}, "application/json", 400, "exactly one"),
    ({}, "application/json", 400, "exactly one"),
    ({"texts": ["x"], "explain": "5"}, "application/json", 400, "explain"),
    ({"texts": ["x"], "explain": 10**9}, "application/json", 400, "explain"),
    ({"texts": ["x"] * (MAX_TEXTS + 1)}, "application/json", 413, "too many texts"),
    (b"x" * (MAX_BODY + 1), "application/json", 413, "too large"),
    ({"texts": ["x"]}, "text/plain", 415, "Content-Type"),
    (b"[" * 100_000 + b"]" * 100_000, "application/json", 400, "invalid JSON"),
])
def test_bad_requests_get_a_4xx_and_one_json_line(server, body, content_type, status, fragment):
    got, payload = request(server.url + "/predict", "POST", body, content_type)
    assert got == status and fragment in payload["error"] and "\n" not in payload["error"]
    assert request(server.url + "/health")[0] == 200  # and the server is still up


def test_health_card_and_unknown_routes(server, model):
    status, health = request(server.url + "/health")
    assert status == 200 and health["status"] == "ok"
    assert health["labels"] == ["military_movement", "civilian_reaction", "foreign_involvement", "other"]
    status, card = request(server.url + "/card")
    assert status == 200 and card["labels"] == model.card.to_dict()["labels"]
    assert request(server.url + "/nowhere")[0] == 404
    assert request(server.url + "/predict")[0] == 405


def test_empty_texts_and_article(server):
    assert request(server.url + "/predict", "POST", {"texts": []}) == (200, {"rows": []})
    assert request(server.url + "/predict", "POST", {"article": "   "}) == (200, {"rows": []})


def test_article_page_is_right_to_left(server):
    import urllib.request

    with urllib.request.urlopen(server.url + "/") as response:
        html = response.read().decode("utf-8")
    assert 'dir="rtl"' in html and 'lang="ar"' in html and "article.js" in html


def test_serve_without_flask_names_the_extra(monkeypatch, capsys):
    import builtins

    real = builtins.__import__

    def no_flask(name, *args, **kwargs):
        if name == "flask":
            raise ImportError("no flask")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_flask)
    assert main(["serve", "--port", "0"]) == 2
    assert "[web]" in capsys.readouterr().err


def test_serve_on_a_busy_port_is_a_one_line_error(server, model_path, capsys):
    port = server.url.rsplit(":", 1)[1]
    assert main(["serve", "--model", str(model_path), "--port", port]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("classify: error: cannot listen on 127.0.0.1:") and len(err.splitlines()) == 1


def test_annotation_api_refuses_bad_decisions(model, model_path, seed_article, tmp_path):
    from classify.web.archive import read_archive
    from classify.web.session import AnnotationSession

    (tmp_path / "arch").mkdir()
    (tmp_path / "arch" / "a.txt").write_text(seed_article, encoding="utf-8")
    session = AnnotationSession(read_archive(tmp_path / "arch"), tmp_path / "l.tsv", model)
    live = LiveServer(create_app(model, model_path, session=session))
    try:
        status, first = request(live.url + "/api/annotate/next")
        sid = first["sentence"]["id"]
        decide = live.url + "/api/annotate/decide"
        assert request(decide, "POST", {"id": 10**6, "action": "label", "label": "other"})[0] == 400
        assert request(decide, "POST", {"id": True, "action": "label", "label": "other"})[0] == 400
        status, body = request(decide, "POST", {"id": sid, "action": "label", "label": "riots"})
        assert status == 400 and "unknown label" in body["error"]
        assert request(decide, "POST", {"id": sid, "action": "delete"})[0] == 400
        assert request(decide, "POST", {"id": sid, "action": "label", "label": "other", "annotator": 5})[0] == 400
        status, body = request(decide, "POST", {"id": sid, "action": "label", "label": "other"})
        assert status == 200 and body["progress"]["labelled"] == 1
        status, body = request(decide, "POST", {"id": sid, "action": "skip"})  # a second tab
        assert status == 409 and "already has a decision" in body["error"]
        assert request(live.url + "/api/annotate/undo", "POST", {})[1]["undone"] == sid
        assert request(live.url + "/api/annotate/undo", "POST", {})[1]["undone"] is None
    finally:
        live.stop()
        session.store.close()
