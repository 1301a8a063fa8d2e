"""A chair opens the period report in headless Chromium; screenshots at 1366x768 and 390x844.

Environment: WEB_BASE, WEB_LOGIN, WEB_PASSWORD, WEB_SHOTS, WEB_REPORT (the page's query). Prints one JSON object:
the summary and the total row's cells as the page shows them."""
import json
import os

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
try:
    driver.get(base + "/dang-nhap")
    page = driver.find_element(By.TAG_NAME, "main")
    driver.switch_to.active_element.send_keys(os.environ["WEB_LOGIN"], Keys.TAB, os.environ["WEB_PASSWORD"] + Keys.ENTER)
    WebDriverWait(driver, 15).until(expected_conditions.staleness_of(page))
    driver.get(base + "/bao-cao?" + os.environ["WEB_REPORT"])
    total = [td.text for td in driver.find_elements(By.CSS_SELECTOR, "#dong-tong td")]
    for width, height in [(1366, 768), (390, 844)]:
        driver.set_window_size(width, height)
        driver.save_screenshot(os.path.join(shots, f"bao-cao-{width}.png"))
    print(json.dumps({"summary": driver.find_element(By.ID, "tom-tat").text, "total": total,
                      "xlsx": driver.find_element(By.ID, "tai-xlsx").get_attribute("href")}, ensure_ascii=False))
finally:
    driver.quit()
