"""An inspector opens the inspection page (the log verified on the first visit), asks for the views as they stood on
two dates with the keyboard; then someone with access to the server alters a petition's text in the log file
directly, and the inspector verifies again. Screenshots.

Environment: WEB_BASE, WEB_SHOTS, WEB_LOGIN, WEB_PASSWORD, WEB_TODAY (dd/mm/yyyy), WEB_LOG (the events.sqlite to
alter). Prints one JSON object."""
import json
import os
import sqlite3

from browser import By, Keys, base, keys, login, main, shoot, start, submitted

driver = start()
try:
    login(driver, os.environ["WEB_LOGIN"], os.environ["WEB_PASSWORD"])
    driver.get(base + "/kiem-tra")
    first = {"result": driver.find_element(By.ID, "ket-qua-xac-minh").text, "checkpoint": driver.find_element(By.ID, "diem-kiem-tra-cuoi").text,
             "when": driver.find_element(By.ID, "lan-kiem-tra").text}
    shoot(driver, "kiem-tra")
    views = {}
    for day in [os.environ["WEB_TODAY"], "01/01/2026"]:
        page = main(driver)
        field = driver.find_element(By.ID, "ngay")
        field.clear()
        field.send_keys(day + Keys.ENTER)
        submitted(driver, page)
        views[day] = {"outstanding": driver.find_element(By.ID, "so-con-phai-xu-ly-khi-do").text,
                      "overdue": driver.find_element(By.ID, "so-qua-han-khi-do").text,
                      "rows": len(driver.find_elements(By.CSS_SELECTOR, "#bang-khi-do tbody tr"))}
    # Someone edits the first petition's text in the file itself (its stored hash left as it was).
    log = sqlite3.connect(os.environ["WEB_LOG"], timeout=10)
    with log:
        altered = log.execute("UPDATE events SET data = replace(data, 'xuống cấp', 'đã sửa') WHERE position = "
                              "(SELECT MIN(position) FROM events WHERE type LIKE 'petition.submitted.%')").rowcount
    log.close()
    page = main(driver)
    driver.find_element(By.ID, "kiem-tra-ngay").send_keys(Keys.ENTER)
    submitted(driver, page)
    after = driver.find_element(By.ID, "ket-qua-xac-minh").text
    shoot(driver, "kiem-tra-hong")
    print(json.dumps({"first": first, "views": views, "after": after, "altered": altered}, ensure_ascii=False))
finally:
    driver.quit()
