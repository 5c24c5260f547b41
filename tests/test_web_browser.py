"""Both sides of the web front door in a real Chromium (Selenium, Debian's chromium-driver), at
a phone's 420 px: a unit signs in, uploads the sample unit through the page, watches the check
run, opens its report and plays an evidence link; an evaluator opens the matrix and enters an
override; another unit is refused the page. ZI_MEDIA_SCREENSHOTS=DIR keeps a picture of each
page (the README's)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .webtools import PASSWORDS, SAMPLE_UNIT, Server, add_users, serving

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("web_browser"),
              pytest.mark.skipif(not shutil.which("chromedriver"), reason="no chromedriver: bash dev.sh installs it")]
WIDTH = 420
WAIT_S = 600  # the sample unit's full check, transcription included, on 2 busy cores


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("web_browser") / "data"
    add_users(data)
    with serving(data) as s:
        yield s


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
                f"--window-size={WIDTH},900", f"--user-data-dir={tmp_path / 'chromium'}",
                "--autoplay-policy=no-user-gesture-required"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def until(driver: Any, check: Callable[[Any], Any], timeout_s: float = 30) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout_s, poll_frequency=0.3).until(check)


def sign_in(driver: Any, server: Server, name: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(server.base + "/signin")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(PASSWORDS[name])
    driver.find_element(By.ID, "signin").click()
    until(driver, lambda d: "/signin" not in d.current_url)


def fits(driver: Any) -> bool:
    """Nothing wider than the window: usable at 420 px without scrolling sideways."""
    return bool(driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1"))


def keep(driver: Any, name: str) -> None:
    if folder := os.environ.get("ZI_MEDIA_SCREENSHOTS"):
        driver.save_screenshot(str(Path(folder) / f"web-{name}.png"))


def test_unit_and_evaluator_end_to_end_in_chromium(server: Server, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver = browser
    sign_in(driver, server, "PN Sukamaju")
    assert driver.current_url.endswith("/unit") and fits(driver)
    files = sorted(str(p) for p in SAMPLE_UNIT.iterdir())
    driver.find_element(By.ID, "files").send_keys("\n".join(files))
    keep(driver, "unit-upload")
    driver.find_element(By.ID, "send").click()
    until(driver, lambda d: "/submissions/" in d.current_url, 120)
    sid = int(driver.current_url.rsplit("/", 1)[1])
    state = driver.find_element(By.ID, "state").text
    assert any(w in state for w in ("menunggu", "sedang diperiksa", "selesai")), state
    seen = {state}
    until(driver, lambda d: seen.add(d.find_element(By.ID, "state").text) or d.find_elements(By.ID, "verdict"),
          WAIT_S)
    assert any("sedang diperiksa (" in s for s in seen), seen  # the time it has run, live
    assert driver.find_element(By.ID, "verdict").text == "MEMENUHI" and fits(driver)
    keep(driver, "unit-submission")
    driver.find_element(By.ID, "report").click()
    until(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "a[data-player]"))
    link = driver.find_elements(By.CSS_SELECTOR, "a[data-player]")[-1]
    t = float(link.get_attribute("data-t"))
    player = driver.find_element(By.ID, link.get_attribute("data-player"))
    driver.execute_script("arguments[0].click()", link)
    until(driver, lambda d: d.execute_script("return arguments[0].readyState >= 1", player), 30)
    assert abs(driver.execute_script("return arguments[0].currentTime", player) - t) < 2
    assert driver.execute_script("return !arguments[0].error", player)
    keep(driver, "unit-report")

    driver.delete_all_cookies()
    sign_in(driver, server, "PN Lain")
    driver.get(f"{server.base}/submissions/{sid}")
    assert "tidak ditemukan" in driver.find_element(By.ID, "message").text
    assert "PN Sukamaju" not in driver.page_source

    driver.delete_all_cookies()
    sign_in(driver, server, "Penilai Bawas")
    assert driver.current_url.endswith("/evaluator") and fits(driver)
    keep(driver, "evaluator-units")
    driver.find_element(By.ID, "matrix").click()
    until(driver, lambda d: "PN Sukamaju" in d.page_source)
    driver.set_window_size(1100, 900)
    keep(driver, "evaluator-matrix")
    driver.set_window_size(WIDTH, 900)
    driver.get(f"{server.base}/submissions/{sid}")
    Select(driver.find_element(By.ID, "requirement")).select_by_value("banners")
    Select(driver.find_element(By.ID, "status")).select_by_value("not_met")
    driver.find_element(By.ID, "reason").send_keys("spanduk tidak memuat nama satuan kerja")
    keep(driver, "evaluator-override")
    driver.find_element(By.ID, "save-override").click()
    until(driver, lambda d: d.find_elements(By.ID, "verdict") and "TIDAK MEMENUHI" in d.find_element(
        By.ID, "verdict").text, WAIT_S)
    assert "spanduk tidak memuat nama satuan kerja" in driver.page_source and fits(driver)
