"""Drives the officials' web app in headless Chromium (selenium): the login page, a login typed with the keyboard
only, the home page's figures; screenshots of each page at 1366x768 and at a phone's width (390x844).

Environment: WEB_BASE (http://127.0.0.1:PORT), WEB_LOGIN, WEB_PASSWORD, WEB_SHOTS (a folder). Prints one JSON
object: what the home page shows."""
import json
import os
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

base, shots = os.environ["WEB_BASE"], os.environ["WEB_SHOTS"]
options = Options()
for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1366,768", "--lang=vi"]:
    options.add_argument(argument)
options.binary_location = "/usr/bin/chromium"
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.implicitly_wait(10)


def submitted(old):
    """Waits until the page that held `old` has been replaced by the answer to its form."""
    WebDriverWait(driver, 15).until(expected_conditions.staleness_of(old))


def shoot(name):
    for width, height in [(1366, 768), (390, 844)]:
        driver.set_window_size(width, height)
        driver.save_screenshot(os.path.join(shots, f"{name}-{width}.png"))
    driver.set_window_size(1366, 768)


try:
    driver.get(base + "/")
    shoot("dang-nhap")
    # A wrong password first: the page says so in Vietnamese, and keeps the login typed.
    driver.find_element(By.ID, "login").send_keys(os.environ["WEB_LOGIN"])
    driver.switch_to.active_element.send_keys(Keys.TAB)
    page = driver.find_element(By.TAG_NAME, "main")
    driver.switch_to.active_element.send_keys("not-the-password" + Keys.ENTER)
    submitted(page)
    wrong = driver.find_element(By.ID, "loi").text
    # Then the right one, with the keyboard only: the login field is filled, Tab to the password, Enter.
    page = driver.find_element(By.TAG_NAME, "main")
    driver.find_element(By.ID, "password").send_keys(os.environ["WEB_PASSWORD"] + Keys.ENTER)
    submitted(page)
    overdue = driver.find_element(By.ID, "so-qua-han").text
    rows = driver.find_elements(By.CSS_SELECTOR, "#bang-qua-han tbody tr")
    shoot("trang-chu")
    # Live: a petition recorded elsewhere (a clerk, through the API) shows in the counts without a reload.
    before = driver.find_element(By.ID, "so-con-phai-xu-ly").text
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-live]").get_attribute("data-live-open") == "1")
    request = urllib.request.Request(base + "/api/v1/petitions", method="POST", data=os.environ["WEB_SUBMISSION"].encode(),
                                     headers={"Content-Type": "application/json", "Authorization": "Bearer " + os.environ["WEB_CLERK_TOKEN"]})
    urllib.request.urlopen(request).read()
    WebDriverWait(driver, 15).until(lambda d: d.find_element(By.ID, "so-con-phai-xu-ly").text != before)
    live = {"before": before, "after": driver.find_element(By.ID, "so-con-phai-xu-ly").text,
            "notice": driver.find_element(By.ID, "co-cap-nhat").is_displayed()}
    print(json.dumps({
        "wrongPassword": wrong, "url": driver.current_url, "title": driver.title,
        "overdue": overdue, "outstanding": driver.find_element(By.ID, "so-con-phai-xu-ly").text,
        "overdueRows": [r.text for r in rows], "lang": driver.find_element(By.TAG_NAME, "html").get_attribute("lang"), "live": live,
    }, ensure_ascii=False))
finally:
    driver.quit()
