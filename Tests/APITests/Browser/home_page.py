"""A chair logs in with the keyboard only (a wrong password first) and reads the home page's figures; then a
petition recorded elsewhere changes its counts live. Screenshots of both pages.

Environment: WEB_BASE, WEB_SHOTS, WEB_LOGIN, WEB_PASSWORD, WEB_CLERK_TOKEN and WEB_SUBMISSION (a clerk's bearer token
and a petition.submit body, for the live update). Prints one JSON object: what the pages showed."""
import json
import os
import urllib.request

from browser import By, Keys, WebDriverWait, base, keys, main, shoot, start, submitted

driver = start()
try:
    driver.get(base + "/")
    shoot(driver, "dang-nhap")
    # A wrong password first: the page says so in Vietnamese, and keeps the login typed.
    page = main(driver)
    keys(driver, os.environ["WEB_LOGIN"], Keys.TAB, "not-the-password" + Keys.ENTER)
    submitted(driver, page)
    wrong = driver.find_element(By.ID, "loi").text
    # Then the right one, with the keyboard: the login field is filled, so only the password, then Enter.
    page = main(driver)
    driver.find_element(By.ID, "password").send_keys(os.environ["WEB_PASSWORD"] + Keys.ENTER)
    submitted(driver, page)
    overdue = driver.find_element(By.ID, "so-qua-han").text
    rows = driver.find_elements(By.CSS_SELECTOR, "#bang-qua-han tbody tr")
    shoot(driver, "trang-chu")
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
        "overdue": overdue, "outstanding": before,
        "overdueRows": [r.text for r in rows], "lang": driver.find_element(By.TAG_NAME, "html").get_attribute("lang"), "live": live,
    }, ensure_ascii=False))
finally:
    driver.quit()
