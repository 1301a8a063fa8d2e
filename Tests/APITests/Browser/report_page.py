"""A chair opens the period report. Screenshots of the report page.

Environment: WEB_BASE, WEB_SHOTS, WEB_LOGIN, WEB_PASSWORD, WEB_REPORT (the page's query). Prints one JSON object: the
summary and the total row's cells as the page shows them."""
import json
import os

from browser import By, base, login, shoot, start

driver = start()
try:
    login(driver, os.environ["WEB_LOGIN"], os.environ["WEB_PASSWORD"])
    driver.get(base + "/bao-cao?" + os.environ["WEB_REPORT"])
    total = [td.text for td in driver.find_elements(By.CSS_SELECTOR, "#dong-tong td")]
    shoot(driver, "bao-cao")
    print(json.dumps({"summary": driver.find_element(By.ID, "tom-tat").text, "total": total,
                      "xlsx": driver.find_element(By.ID, "tai-xlsx").get_attribute("href")}, ensure_ascii=False))
finally:
    driver.quit()
