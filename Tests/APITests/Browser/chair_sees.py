"""A chair logs in after a conference and sees its petitions: the overdue ones first on the home page, with who holds
them; the conference in the list of conferences, and on its page what it raised; all of the commune's in the search
by unit. Screenshots.

Environment: WEB_BASE, WEB_SHOTS, WEB_LOGIN, WEB_PASSWORD, WEB_UNIT (the commune's code); WEB_SESSION (the conference's
page, to open it directly rather than as the latest in the list). Prints one JSON object."""
import json
import os

from browser import By, base, login, shoot, start


def rows(driver, table):
    return [[td.text for td in tr.find_elements(By.TAG_NAME, "td")] for tr in driver.find_elements(By.CSS_SELECTOR, f"#{table} tbody tr")]


driver = start()
try:
    login(driver, os.environ["WEB_LOGIN"], os.environ["WEB_PASSWORD"])
    overdue = rows(driver, "bang-qua-han")
    count = driver.find_element(By.ID, "so-qua-han").text
    shoot(driver, "trang-chu-chu-tich")
    driver.find_element(By.LINK_TEXT, "Hội nghị").click()
    sessions = rows(driver, "bang-hoi-nghi")
    shoot(driver, "hoi-nghi")
    if os.environ.get("WEB_SESSION"):
        driver.get(base + os.environ["WEB_SESSION"])
    else:
        driver.find_element(By.CSS_SELECTOR, "#bang-hoi-nghi tbody tr a").click()
    raised = rows(driver, "bang-da-ghi")
    entry = len(driver.find_elements(By.ID, "nhap-kien-nghi"))
    shoot(driver, "hoi-nghi-chu-tri")
    driver.get(base + "/tim-kiem?don-vi=" + os.environ["WEB_UNIT"])
    found = rows(driver, "ket-qua-tim")
    shoot(driver, "tim-theo-don-vi")
    print(json.dumps({"overdue": overdue, "overdueCount": count, "found": found, "sessions": sessions, "raised": raised, "entry": entry}, ensure_ascii=False))
finally:
    driver.quit()
