#!/usr/bin/env python3
"""Drives the real Chromium (headless, through Debian's chromium-driver and Selenium)
through pacbuild serve's pages as a maintainer would, for Tests/WebTests/BrowserTests.

    drive.py BASE_URL NAME PASSWORD BUILT_ID BUILDING_ID LIVE_LOG SCREENSHOT_DIR VIEWER VIEWER_PASSWORD

Prints one JSON object of what the browser saw; the Swift test asserts on it. Each step
waits for what it needs with a timeout, so a page that never shows it fails the step
(named in "error") instead of hanging.
"""
import json
import sys
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec

from browser_session import sign_in as session_sign_in, start, waiting

base, name, password, built, building, live_log, shots, viewer, viewer_password = sys.argv[1:10]
seen = {"steps": []}


def step(label):
    seen["steps"].append(label)


def sign_in(who, secret):
    session_sign_in(driver, wait, base, who, secret)


def post_without_csrf(path):
    """A same-origin POST the page's script could send, with the session cookie but no CSRF token."""
    return driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'},"
        " body: 'reason=no+token', redirect: 'manual'}).then(function (r) { done(r.status); }, function (e) { done(String(e)); });",
        base + path)


driver = start()
wait = waiting(driver, 20)
try:
    step("private page")
    driver.get(base + "/")
    wait.until(ec.url_contains("/login"))
    seen["redirectedTo"] = driver.current_url[len(base):]

    step("a viewer")
    sign_in(viewer, viewer_password)
    driver.get(base + "/builds/" + built)
    seen["viewerForms"] = len(driver.find_elements(By.CSS_SELECTOR, "form[action$='/accept'], form[action$='/reject']"))
    seen["viewerPost"] = post_without_csrf("/builds/" + built + "/reject")
    driver.delete_all_cookies()

    step("sign in")
    sign_in(name, password)
    driver.save_screenshot(shots + "/overview.png")
    seen["overviewTitle"] = driver.find_element(By.TAG_NAME, "h1").text
    seen["cookies"] = [{"name": c["name"], "httpOnly": c.get("httpOnly"), "secure": c.get("secure"),
                        "sameSite": c.get("sameSite")} for c in driver.get_cookies()]
    seen["cookieVisibleToScript"] = driver.execute_script("return document.cookie")

    step("every page, hostile text as text")
    for page in ("queue", "plan"):
        driver.get(base + "/" + page)
        driver.save_screenshot(shots + "/" + page + ".png")
    driver.get(base + "/builds/" + built)
    seen["buildText"] = driver.find_element(By.TAG_NAME, "body").text
    seen["scriptElements"] = len(driver.find_elements(By.CSS_SELECTOR, "body script:not([src])"))
    seen["maintainerPostWithoutToken"] = post_without_csrf("/builds/" + built + "/reject")

    step("reject from the build page")
    driver.get(base + "/builds/" + built)
    driver.save_screenshot(shots + "/build-before.png")
    form = driver.find_element(By.CSS_SELECTOR, "form[action$='/reject']")
    form.find_element(By.NAME, "reason").send_keys("rejected in Chromium")
    form.find_element(By.TAG_NAME, "button").click()
    wait.until(ec.presence_of_element_located((By.ID, "audit")))
    seen["auditRows"] = [[td.text for td in row.find_elements(By.TAG_NAME, "td")]
                         for row in driver.find_elements(By.CSS_SELECTOR, "#audit tr")[1:]]
    seen["stateAfter"] = driver.find_element(By.CSS_SELECTOR, "#record td").text
    driver.save_screenshot(shots + "/build-after.png")

    step("follow a live log")
    driver.get(base + "/builds/" + building)
    wait.until(lambda d: "Making package" in d.find_element(By.ID, "log").text)
    marker = "line written at %.3f while the page is open" % time.time()
    with open(live_log, "a") as log:
        log.write(marker + "\n")
    started = time.time()
    wait.until(lambda d: marker in d.find_element(By.ID, "log").text)
    seen["liveLineSeconds"] = round(time.time() - started, 3)

    step("who is signed in")
    driver.get(base + "/builds/" + built)
    seen["signedInAs"] = driver.find_element(By.CSS_SELECTOR, "p.viewer").text
    seen["done"] = True
except Exception as error:  # the step and the page say what went wrong
    seen["error"] = "%s: %s" % (seen["steps"][-1] if seen["steps"] else "start", error)
    seen["page"] = driver.page_source[:4000]
finally:
    seen["console"] = [entry["message"] for entry in driver.get_log("browser")]
    driver.quit()
print(json.dumps(seen))
