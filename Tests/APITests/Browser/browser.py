"""What every browser script of the web app's tests shares: headless Chromium (Debian's chromium and chromedriver)
driven by selenium, typing at the focus, waiting for a form's answer, screenshots at a laptop's and a phone's width.

Environment: WEB_BASE (http://127.0.0.1:PORT), WEB_SHOTS (a folder for the screenshots)."""
import os

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

base, shots = os.environ["WEB_BASE"], os.environ["WEB_SHOTS"]


def start():
    """A headless Chromium at 1366x768, in Vietnamese, finding elements for up to 10 s."""
    options = Options()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1366,768", "--lang=vi"]:
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(10)
    return driver


def keys(driver, *sequence):
    """Types into whatever has the focus, as a person at the keyboard would."""
    for k in sequence:
        driver.switch_to.active_element.send_keys(k)


def submitted(driver, old):
    """Waits until the page that held `old` has been replaced by the answer to its form. While the page changes,
    Chromium may answer for the old element with "does not belong to the document" instead of a stale reference:
    either means the old page is gone."""
    def gone(_):
        try:
            old.is_enabled()
            return False
        except (StaleElementReferenceException, WebDriverException):
            return True
    try:
        WebDriverWait(driver, 15).until(gone)
    except Exception:
        # What the page shows, and where the focus is, say why the form was not sent.
        driver.save_screenshot(os.path.join(shots, "khong-gui-duoc.png"))
        focus = driver.switch_to.active_element
        raise AssertionError("the form was not sent; the focus is on <%s id=%r>; the page says:\n%s"
                             % (focus.tag_name, focus.get_attribute("id"), driver.find_element(By.TAG_NAME, "body").text[:3000]))


def main(driver):
    return driver.find_element(By.TAG_NAME, "main")


def login(driver, user, password):
    """Logs in from the login page with the keyboard only: the login has the focus, Tab, the password, Enter."""
    driver.get(base + "/dang-nhap")
    page = main(driver)
    keys(driver, user, Keys.TAB, password + Keys.ENTER)
    submitted(driver, page)


def shoot(driver, name):
    """Screenshots of the page at 1366x768 and at a phone's 390x844, into WEB_SHOTS."""
    for width, height in [(1366, 768), (390, 844)]:
        driver.set_window_size(width, height)
        driver.save_screenshot(os.path.join(shots, f"{name}-{width}.png"))
    driver.set_window_size(1366, 768)
