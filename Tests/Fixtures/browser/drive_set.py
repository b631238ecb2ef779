#!/usr/bin/env python3
"""Drives the real Chromium (headless, Debian's chromium-driver and Selenium) through a
rebuild set's page for Tests/WebTests/BrowserTests: a viewer sees the set and no forms
and signs out from the navigation; a maintainer publishes the set's closed part and
drops the member that holds the rest.

    drive_set.py BASE_URL SET_ID DROP_BUILD_ID NAME PASSWORD VIEWER VIEWER_PASSWORD SCREENSHOT_DIR

Prints one JSON object of what the browser saw; the Swift test asserts on it. Each step
waits for what it needs with a timeout and names itself in "error" when it fails.
"""
import json
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec

from browser_session import sign_in as session_sign_in, start, waiting

base, set_id, drop_build, name, password, viewer, viewer_password, shots = sys.argv[1:9]
set_page = base + "/set/" + set_id
seen = {"steps": []}


def step(label):
    seen["steps"].append(label)


def sign_in(who, secret):
    session_sign_in(driver, wait, base, who, secret)


def members():
    """Each member row's cells: build, role, state, standing."""
    return [[td.text for td in row.find_elements(By.TAG_NAME, "td")][:4]
            for row in driver.find_elements(By.CSS_SELECTOR, "table.members tr.member")]


driver = start()
wait = waiting(driver, 20)
try:
    step("a viewer's set page")
    sign_in(viewer, viewer_password)
    driver.get(set_page)
    driver.save_screenshot(shots + "/set-viewer.png")
    seen["viewerSignedIn"] = driver.find_element(By.ID, "signed-in").text
    seen["viewerSetForms"] = len(driver.find_elements(By.CSS_SELECTOR, "form[action^='/set/']"))
    seen["viewerButtons"] = [b.text for b in driver.find_elements(By.CSS_SELECTOR, "main button, table button, #controls button")]
    seen["viewerMembers"] = members()

    step("sign out from the navigation")
    driver.find_element(By.CSS_SELECTOR, "#sign-out button").click()
    wait.until(ec.presence_of_element_located((By.ID, "sign-in")))
    seen["afterSignOut"] = driver.find_element(By.TAG_NAME, "nav").text

    step("a maintainer's set page")
    sign_in(name, password)
    driver.get(base + "/queue")
    driver.save_screenshot(shots + "/queue-sets.png")
    seen["queueSet"] = driver.find_element(By.ID, "set-" + set_id).text
    driver.get(set_page)
    driver.save_screenshot(shots + "/set-before.png")
    seen["maintainerSignedIn"] = driver.find_element(By.ID, "signed-in").text
    seen["dropButtons"] = len(driver.find_elements(By.CSS_SELECTOR, "button.drop"))
    seen["publishWhole"] = len(driver.find_elements(By.ID, "publish"))

    step("publish the closed part")
    driver.find_element(By.ID, "publish-closed").click()
    wait.until(lambda d: d.current_url == set_page and len(d.find_elements(By.CSS_SELECTOR, "button.drop")) == 1)
    seen["afterPublish"] = members()
    driver.save_screenshot(shots + "/set-published-part.png")

    step("drop the member that holds the rest")
    wait.until(lambda d: d.find_element(
        By.XPATH, "//form[.//input[@name='build' and @value='%s']]//button" % drop_build).is_enabled())
    driver.find_element(By.XPATH, "//form[.//input[@name='build' and @value='%s']]//button" % drop_build).click()
    wait.until(lambda d: "(published)" in d.find_element(By.TAG_NAME, "h1").text)
    seen["title"] = driver.find_element(By.TAG_NAME, "h1").text
    seen["afterDrop"] = members()
    seen["formsAfter"] = len(driver.find_elements(By.CSS_SELECTOR, "form[action^='/set/']"))
    seen["auditRows"] = [[td.text for td in row.find_elements(By.TAG_NAME, "td")]
                         for row in driver.find_elements(By.CSS_SELECTOR, "#audit tr")[1:]]
    driver.save_screenshot(shots + "/set-after.png")
    seen["done"] = True
except Exception as error:  # the step and the page say what went wrong
    seen["error"] = "%s: %s" % (seen["steps"][-1] if seen["steps"] else "start", error)
    seen["page"] = driver.page_source[:4000]
finally:
    seen["console"] = [entry["message"] for entry in driver.get_log("browser")]
    driver.quit()
print(json.dumps(seen))
