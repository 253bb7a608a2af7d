"""The web pages in a real headless Chromium (Debian's chromium + chromium-driver).

Skipped when no chromedriver is installed, unless CLASSIFY_BROWSER_TESTS=required (as
.ci/run sets it), in which case a missing browser is a failure.
"""

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

pytest.importorskip("flask")
webdriver = pytest.importorskip("selenium.webdriver")

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from classify.web.app import create_app  # noqa: E402

from web_helpers import LiveServer, request  # noqa: E402

DRIVER = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)
if DRIVER is None:
    if os.environ.get("CLASSIFY_BROWSER_TESTS") == "required":
        raise RuntimeError("CLASSIFY_BROWSER_TESTS=required but no chromedriver: apt-get install chromium chromium-driver")
    pytest.skip("no chromedriver (apt-get install chromium chromium-driver)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(flag)
    binary = shutil.which("chromium")
    if binary:
        options.binary_location = binary
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=DRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def wait(browser, condition, timeout=20):
    return WebDriverWait(browser, timeout).until(lambda d: condition(d))


def test_article_view_colours_every_sentence_and_explains_it(browser, model, model_path, seed_article):
    server = LiveServer(create_app(model, model_path))
    try:
        browser.get(server.url + "/")
        assert browser.execute_script("return getComputedStyle(document.body).direction") == "rtl"
        box = browser.find_element(By.ID, "article")
        browser.execute_script("arguments[0].value = arguments[1]", box, seed_article)
        browser.find_element(By.ID, "classify").click()
        spans = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#result .sentence"))
        _, expected = request(server.url + "/predict", "POST", {"article": seed_article})
        assert [s.get_attribute("data-label") for s in spans] == [r["label"] for r in expected["rows"]]
        assert all(r["label"] in s.get_attribute("class") for s, r in zip(spans, expected["rows"]))
        assert spans[0].text.startswith(expected["rows"][0]["text"][:20])
        counts = {row.get_attribute("data-label"): int(row.find_element(By.CLASS_NAME, "n").text)
                  for row in browser.find_elements(By.CSS_SELECTOR, "#counts tr")}
        assert sum(counts.values()) == len(expected["rows"])
        assert counts["military_movement"] == sum(r["label"] == "military_movement" for r in expected["rows"])
        spans[0].click()
        items = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#ngrams li"))
        assert items and "+" in items[0].text
        browser.execute_script("arguments[0].value = ''", box)
        browser.find_element(By.ID, "classify").click()
        wait(browser, lambda d: "0 " in d.find_element(By.ID, "message").text)
    finally:
        server.stop()


def _start_annotate(archive, out, model_path, port="0"):
    proc = subprocess.Popen([sys.executable, "-m", "classify", "annotate", str(archive), "--out", str(out),
                             "--model", str(model_path), "--port", port, "--annotator", "tester",
                             "--random-share", "0"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines = []
    deadline = time.time() + 60
    while time.time() < deadline:
        line = proc.stderr.readline()
        lines.append(line)
        found = re.search(r"serving (http://127\.0\.0\.1:\d+)/annotate", line)
        if found:
            return proc, found.group(1)
        if proc.poll() is not None:
            break
    proc.kill()
    raise AssertionError("annotate did not start: " + "".join(lines)[-800:])


def _status(browser, fragment):
    return wait(browser, lambda d: fragment in d.find_element(By.ID, "status").text)


def _key(browser, key):
    webdriver.ActionChains(browser).send_keys(key).perform()


def _current(browser):
    return browser.find_element(By.ID, "current").get_attribute("data-id")


def test_annotation_keys_undo_and_a_kill_9_restart(browser, model_path, seed_article, tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "homs.txt").write_text(seed_article, encoding="utf-8")
    out = tmp_path / "labels.tsv"
    proc, url = _start_annotate(archive, out, model_path)
    try:
        browser.get(url + "/annotate")
        first = wait(browser, lambda d: _current(d))
        suggestion = browser.find_element(By.ID, "suggestion").text
        assert "suggestion:" in suggestion and browser.find_element(By.ID, "previous") is not None
        _key(browser, "1")
        _status(browser, "military_movement — saved")
        second = wait(browser, lambda d: _current(d) != first and _current(d))
        _key(browser, "\ue007")  # Enter: accept the suggestion
        _status(browser, "saved (decision #2)")
        third = wait(browser, lambda d: _current(d) not in (first, second) and _current(d))
        _key(browser, "s")
        _status(browser, "skipped — saved")
        wait(browser, lambda d: _current(d) not in (first, second, third))
        _key(browser, "u")
        _status(browser, "undone")
        wait(browser, lambda d: _current(d) == third)
        assert "2 labelled, 0 skipped" in browser.find_element(By.ID, "totals").text
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    with sqlite3.connect(tmp_path / "labels.tsv.sqlite") as db:
        rows = db.execute("SELECT sentence_id, action, label, annotator, suggestion, undone_at IS NOT NULL "
                          "FROM decisions ORDER BY id").fetchall()
    assert [(str(r[0]), r[1], r[5]) for r in rows] == [(first, "label", 0), (second, "label", 0), (third, "skip", 1)]
    assert rows[0][2] == "military_movement" and rows[1][2] == rows[1][4] and rows[0][3] == "tester"
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3  # header + two labels

    proc, url = _start_annotate(archive, out, model_path)
    try:
        browser.get(url + "/annotate")
        wait(browser, lambda d: _current(d))
        assert "2 labelled, 0 skipped" in browser.find_element(By.ID, "totals").text
        assert _current(browser) not in (first, second)
        _key(browser, "4")
        _status(browser, "other — saved")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert len(out.read_text(encoding="utf-8").splitlines()) == 4
