"""A chair reads who holds what (responsibility) and searches petitions typing without diacritics. Screenshots.

Environment: WEB_BASE, WEB_SHOTS, WEB_LOGIN, WEB_PASSWORD. Prints one JSON object."""
import json
import os

from browser import By, Keys, Select, base, keys, login, main, shoot, start, submitted

driver = start()
try:
    login(driver, os.environ["WEB_LOGIN"], os.environ["WEB_PASSWORD"])
    driver.get(base + "/trach-nhiem")
    departments = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")] for tr in driver.find_elements(By.CSS_SELECTOR, "#bang-co-quan tbody tr")]
    shoot(driver, "trach-nhiem")
    driver.get(base + "/tim-kiem")
    page = main(driver)
    keys(driver, "duong lien ap" + Keys.ENTER)
    submitted(driver, page)
    results = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")] for tr in driver.find_elements(By.CSS_SELECTOR, "#ket-qua-tim tbody tr")]
    shoot(driver, "tim-kiem")
    count = driver.find_element(By.ID, "so-ket-qua").text
    # By department, chosen from the registered ones (no words): what it holds.
    driver.get(base + "/tim-kiem")
    page = main(driver)
    Select(driver.find_element(By.ID, "co-quan")).select_by_visible_text("Phòng Kinh tế")
    driver.find_element(By.CSS_SELECTOR, "main form button").send_keys(Keys.ENTER)
    submitted(driver, page)
    held = driver.find_element(By.ID, "so-ket-qua").text
    print(json.dumps({"departments": departments, "count": count, "results": results, "byDepartment": held}, ensure_ascii=False))
finally:
    driver.quit()
