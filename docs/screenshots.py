"""Screenshots of the web app for the README: docs/article.png and docs/annotate.png.

    python docs/screenshots.py

Needs the test extra (Flask, Selenium) and Debian's chromium + chromium-driver. Uses the
default model (trained on first use) and the bundled seed article.
"""

import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

import classify
from classify.cli.commands import load_or_train
from classify.web.app import create_app
from classify.web.archive import read_archive
from classify.web.session import AnnotationSession

HERE = Path(__file__).resolve().parent


def _serve(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def _browser():
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1360,1250", "--lang=ar"):
        options.add_argument(flag)
    if shutil.which("chromium"):
        options.binary_location = shutil.which("chromium")
    return webdriver.Chrome(service=webdriver.ChromeService(executable_path=shutil.which("chromedriver")),
                            options=options)


def main():
    model, path = load_or_train(None)
    article = classify.bundled_article_path().read_text(encoding="utf-8")
    browser = _browser()
    try:
        server, url = _serve(create_app(model, path))
        browser.get(url + "/")
        box = browser.find_element(By.ID, "article")
        browser.execute_script("arguments[0].value = arguments[1]", box, article)
        browser.find_element(By.ID, "classify").click()
        spans = WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#result .sentence"))
        spans[3].click()
        WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#ngrams li"))
        browser.save_screenshot(str(HERE / "article.png"))
        server.shutdown()

        with tempfile.TemporaryDirectory() as tmp:
            archive = Path(tmp) / "archive"
            archive.mkdir()
            (archive / "alkompis-homs.txt").write_text(article, encoding="utf-8")
            session = AnnotationSession(read_archive(archive), Path(tmp) / "labels.tsv", model,
                                        annotator="analyst", seed=0)
            server, url = _serve(create_app(model, path, session=session))
            browser.get(url + "/annotate")
            for key in ("\ue007", "1", "\ue007"):  # accept, military_movement, accept
                current = WebDriverWait(browser, 20).until(
                    lambda d: d.find_element(By.ID, "current").get_attribute("data-id"))
                webdriver.ActionChains(browser).send_keys(key).perform()
                WebDriverWait(browser, 20).until(
                    lambda d: d.find_element(By.ID, "current").get_attribute("data-id") != current)
            time.sleep(0.5)
            browser.save_screenshot(str(HERE / "annotate.png"))
            server.shutdown()
            session.store.close()
    finally:
        browser.quit()
    print(f"wrote {HERE / 'article.png'} and {HERE / 'annotate.png'}", file=sys.stderr)


if __name__ == "__main__":
    main()
