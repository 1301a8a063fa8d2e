"""A department officer, in headless Chromium, opens a referred petition from the home page's list, accepts it and
records its resolution; screenshots of the petition page at 1366x768 and 390x844.

Environment: WEB_BASE, WEB_LOGIN, WEB_PASSWORD, WEB_SHOTS, WEB_PETITION. Prints one JSON object."""
import json
import os

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

base, shots, petition = os.environ["WEB_BASE"], os.environ["WEB_SHOTS"], os.environ["WEB_PETITION"]
options = Options()
for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1366,768", "--lang=vi"]:
    options.add_argument(argument)
options.binary_location = "/usr/bin/chromium"
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.implicitly_wait(10)


def submitted(old):
    """Waits until the page that held `old` has been replaced by the answer to its form."""
    WebDriverWait(driver, 15).until(expected_conditions.staleness_of(old))
try:
    driver.get(base + "/dang-nhap")
    driver.switch_to.active_element.send_keys(os.environ["WEB_LOGIN"], Keys.TAB, os.environ["WEB_PASSWORD"] + Keys.ENTER)
    driver.find_element(By.LINK_TEXT, petition).click()
    offered = [f.get_attribute("id") for f in driver.find_elements(By.CSS_SELECTOR, ".actions form")]
    page = driver.find_element(By.TAG_NAME, "main")
    driver.find_element(By.CSS_SELECTOR, "#viec-tiep-nhan button").send_keys(Keys.ENTER)
    submitted(page)
    accepted = driver.find_element(By.ID, "thong-bao").text
    page = driver.find_element(By.TAG_NAME, "main")
    driver.find_element(By.ID, "giai-quyet-resolution").send_keys("Đã sửa xong đoạn đường liên ấp" + Keys.ENTER)
    submitted(page)
    resolved = driver.find_element(By.ID, "thong-bao").text
    status = driver.find_element(By.ID, "trang-thai").text
    timeline = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#dien-bien li")]
    for width, height in [(1366, 768), (390, 844)]:
        driver.set_window_size(width, height)
        driver.save_screenshot(os.path.join(shots, f"kien-nghi-{width}.png"))
    print(json.dumps({"offered": offered, "accepted": accepted, "resolved": resolved, "status": status, "timeline": timeline,
                      "after": [f.get_attribute("id") for f in driver.find_elements(By.CSS_SELECTOR, ".actions form")]}, ensure_ascii=False))
finally:
    driver.quit()
