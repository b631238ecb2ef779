#!/usr/bin/env python3
"""Drives the real Chromium (headless, through Debian's chromium-driver and Selenium)
through pacbuild serve's pages during a real `pacbuild run`, for
Tests/IntegrationTests/BrowserRunTests.

    drive_run.py BASE_URL NAME PASSWORD ID_FILE SCREENSHOT_DIR

Signs in, then waits for ID_FILE (the test writes the build's id there once the build
is building), opens the build's page, waits for a `pacbuild-tick N` line the page did
not hold when it loaded (streamed while the page stays open), waits for the build to
finish and to offer accept, accepts it with the page's form and reads the audit log.
Prints one JSON object of what the browser saw; the Swift test asserts on it. Each step
waits with a timeout, so a page that never shows what it needs fails the step (named in
"error") instead of hanging.
"""
import json
import os
import re
import sys
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec

from browser_session import sign_in as session_sign_in, start, waiting

base, name, password, id_file, shots = sys.argv[1:6]
seen = {"steps": []}
TICK = re.compile(r"pacbuild-tick (\d+) of")


def step(label):
    seen["steps"].append(label)


def ticks(text):
    return [int(n) for n in TICK.findall(text)]


def log_text(d):
    return d.find_element(By.ID, "log").text


driver = start()
wait = waiting(driver, 30)
try:
    step("sign in")
    session_sign_in(driver, wait, base, name, password)

    step("wait for the test to name the building build")
    deadline = time.time() + 150
    while not (os.path.exists(id_file) and open(id_file).read().strip()):
        if time.time() > deadline:
            raise TimeoutError("no build id in %s after 150 s" % id_file)
        time.sleep(0.1)
    build = open(id_file).read().strip()
    seen["build"] = build

    step("open the building build's page")
    driver.get(base + "/builds/" + build)
    seen["stateWhenOpened"] = driver.find_element(By.CSS_SELECTOR, "#record td").text
    seen["liveWhenOpened"] = len(driver.find_elements(By.ID, "live")) == 1
    # what the server rendered, before the page's script appended anything
    rendered = driver.execute_script(
        "var r = new XMLHttpRequest(); r.open('GET', location.href, false); r.send();"
        "return new DOMParser().parseFromString(r.responseText, 'text/html').getElementById('log').textContent;")
    # the page itself is never reloaded from here on: any later line came over the stream
    first = log_text(driver)
    seen["ticksWhenOpened"] = sorted(set(ticks(first) + ticks(rendered)))
    driver.save_screenshot(shots + "/run-build-opened.png")

    step("a log line appears that the page did not hold when it loaded")
    before = max(seen["ticksWhenOpened"], default=0)
    started = time.time()
    wait.until(lambda d: max(ticks(log_text(d)), default=0) >= before + 2)
    seen["newLineSeconds"] = round(time.time() - started, 3)
    now = ticks(log_text(driver))
    seen["newTicks"] = [n for n in now if n > before]
    seen["sameURL"] = driver.current_url == base + "/builds/" + build
    driver.execute_script("arguments[0].scrollIntoView({block: 'end'})", driver.find_element(By.ID, "live"))
    driver.save_screenshot(shots + "/run-build-live.png")

    step("the stream ends when the build finishes")
    waiting(driver, 120).until(lambda d: d.find_element(By.ID, "live").text.startswith("Finished"))
    seen["liveNote"] = driver.find_element(By.ID, "live").text
    seen["ticksStreamed"] = sorted(set(ticks(log_text(driver))))

    step("the build waits for review")
    deadline = time.time() + 60
    while True:
        driver.get(base + "/builds/" + build)
        if driver.find_elements(By.CSS_SELECTOR, "form[action$='/accept']"):
            break
        if time.time() > deadline:
            raise TimeoutError("no accept form within 60 s of the build's end")
        time.sleep(0.5)
    seen["stateBefore"] = driver.find_element(By.CSS_SELECTOR, "#record td").text
    driver.save_screenshot(shots + "/run-build-review.png")

    step("accept from the build page")
    form = driver.find_element(By.CSS_SELECTOR, "form[action$='/accept']")
    seen["csrfInForm"] = len(form.find_elements(By.CSS_SELECTOR, "input[name='csrf']")) == 1
    form.find_element(By.TAG_NAME, "button").click()
    wait.until(ec.presence_of_element_located((By.ID, "audit")))
    seen["auditRows"] = [[td.text for td in row.find_elements(By.TAG_NAME, "td")]
                         for row in driver.find_elements(By.CSS_SELECTOR, "#audit tr")[1:]]
    seen["stateAfter"] = driver.find_element(By.CSS_SELECTOR, "#record td").text
    driver.save_screenshot(shots + "/run-build-accepted.png")
    seen["done"] = True
except Exception as error:  # the step and the page say what went wrong
    seen["error"] = "%s: %s" % (seen["steps"][-1] if seen["steps"] else "start", error)
    seen["page"] = driver.page_source[:4000]
finally:
    seen["console"] = [entry["message"] for entry in driver.get_log("browser")]
    driver.quit()
print(json.dumps(seen))
