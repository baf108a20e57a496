"""The web page in a real headless browser (Debian's chromium and chromium-driver, driven by Selenium):
load it, filter, open an event, see its evidence. Skipped where chromium is absent."""

from __future__ import annotations

import shutil
import socket
import threading
import time

import pytest

from dyads.model import Actor, Article, Event
from dyads.store import Store
from eventstore import make_store

HOSTILE = 'Rebels <img src=x onerror="document.body.dataset.pwned=1"> said they <b>seized</b> the depot.'

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    from dyads.api import create_app

    db = make_store(tmp_path_factory.mktemp("page") / "events.duckdb")
    with Store(db) as st:  # article text and actor names that look like markup must stay text
        hostile = Event(
            "hostile", "ASSAULT", "190", quad_code=4, goldstein=-10.0, factuality="claimed", text=HOSTILE,
            span=(0, len(HOSTILE)), actor=[Actor("<script>document.body.dataset.pwned=2</script>", "MLI")],
            evidence={"trigger": "seized", "rule": "test"},
        )  # fmt: skip
        article = Article(
            "hostile", HOSTILE, title="<img src=x onerror=\"document.body.dataset.pwned=3\">",
            url="javascript:document.body.dataset.pwned=4",
        )  # fmt: skip
        st.write(article, [hostile])
    api = create_app(db)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(api, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
    api.state.store.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (CHROMIUM and DRIVER):
        pytest.skip(
            "chromium and chromium-driver are not installed (apt-get install -y chromium chromium-driver)"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1400,1100",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):  # fmt: skip
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


def _loaded(driver, after: int = 0) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 20).until(
        lambda d: (
            d.execute_script("return document.body.dataset.ready === 'true' && +document.body.dataset.loads")
            > after
        )
    )


def test_load_filter_open_an_event(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    _loaded(browser)
    rows = browser.find_elements(By.CSS_SELECTOR, "#events tbody tr")
    assert len(rows) == 4  # the asserted events
    assert browser.find_elements(By.CSS_SELECTOR, "#map path.land")  # the bundled world geometry drew
    assert len(browser.find_elements(By.CSS_SELECTOR, "#map circle")) == 2  # Niamey and Bamako
    assert len(browser.find_elements(By.CSS_SELECTOR, "#network line")) == 3
    assert browser.find_elements(By.CSS_SELECTOR, "#timeline rect.conflict")
    assert not browser.find_element(By.ID, "error").is_displayed()

    field = browser.find_element(By.ID, "f-either")
    field.send_keys("NER")
    browser.find_element(By.ID, "apply").click()
    _loaded(browser, after=1)
    rows = browser.find_elements(By.CSS_SELECTOR, "#events tbody tr")
    assert [r.find_element(By.TAG_NAME, "strong").text for r in rows] == ["PROTEST", "CONSULT"]
    marks = {m.get_attribute("class"): m.text for m in rows[0].find_elements(By.TAG_NAME, "mark")}
    assert marks == {"actor": "Farmers", "trigger": "marched", "recipient": "the French embassy",
                     "place": "Niamey", "date": "on Friday"}  # fmt: skip

    rows[0].click()
    detail = browser.find_element(By.ID, "detail")
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 10).until(lambda d: detail.is_displayed() and "rule" in detail.text)
    evidence = detail.find_element(By.CSS_SELECTOR, "dl.evidence").text
    assert "marched" in evidence and "test" in evidence  # the trigger and the rule that coded it
    assert (
        "Farmers march" in detail.text
        and detail.find_element(By.TAG_NAME, "a").get_attribute("href") == "https://example.org/a1"
    )
    assert browser.save_screenshot(str(tmp_path / "page.png"))
    assert (tmp_path / "page.png").stat().st_size > 10_000


def test_text_that_looks_like_markup_stays_text(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(server + "/")
    _loaded(browser)
    Select(browser.find_element(By.ID, "f-factuality")).select_by_visible_text("claimed")
    browser.find_element(By.ID, "apply").click()
    _loaded(browser, after=1)
    row = browser.find_element(By.CSS_SELECTOR, "#events tbody tr")
    assert HOSTILE in row.find_element(By.CSS_SELECTOR, "td.sentence").text
    assert "<script>" in row.text
    assert not row.find_elements(By.CSS_SELECTOR, "img, b, script")
    assert browser.execute_script("return document.body.dataset.pwned") is None

    row.click()  # the detail shows the article's title, text and link, and the actor's name
    detail = browser.find_element(By.ID, "detail")
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 10).until(lambda d: detail.is_displayed() and "rule" in detail.text)
    assert "<script>document.body.dataset.pwned=2</script>" in detail.text
    assert '<img src=x onerror="document.body.dataset.pwned=3">' in detail.text
    assert not detail.find_elements(By.CSS_SELECTOR, "img, b, script")
    assert all(
        not (a.get_attribute("href") or "").startswith("javascript:")
        for a in detail.find_elements(By.TAG_NAME, "a")
    )
    assert browser.execute_script("return document.body.dataset.pwned") is None
