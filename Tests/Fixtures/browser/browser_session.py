"""What the browser drivers (drive.py, drive_run.py, drive_set.py) share: the real
Chromium started headless through Debian's chromium-driver, a wait that asks again while
a page being left goes stale, and signing in through pacbuild serve's login form."""
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def start():
    """Debian's chromium, headless, its console log kept for the test's report."""
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def waiting(driver, seconds):
    """A wait whose condition is asked again when the page it reads is being left (a
    stale element, which WebDriverWait does not ignore by default) or not there yet."""
    return WebDriverWait(driver, seconds, ignored_exceptions=[NoSuchElementException, StaleElementReferenceException])


def sign_in(driver, wait, base, who, secret):
    """Signs in with the login form and waits for the overview it leads to."""
    driver.get(base + "/login")
    driver.find_element(By.NAME, "name").send_keys(who)
    driver.find_element(By.NAME, "password").send_keys(secret)
    driver.find_element(By.CSS_SELECTOR, "form[action='/login'] button").click()
    wait.until(lambda d: d.current_url.rstrip("/") == base)
