"""A department officer opens a referred petition from the home page's list, accepts it and records its resolution.
Screenshots of the petition page.

Environment: WEB_BASE, WEB_SHOTS, WEB_LOGIN, WEB_PASSWORD, WEB_PETITION; WEB_FROM_HOME=0 opens the petition's page
directly (in a large inbox it may not be among the first listed); WEB_ASK_EXTENSION asks for more time first. Prints one JSON object."""
import json
import os

from browser import By, Keys, base, keys, login, main, shoot, start, submitted

driver = start()
try:
    login(driver, os.environ["WEB_LOGIN"], os.environ["WEB_PASSWORD"])
    if os.environ.get("WEB_FROM_HOME", "1") == "1":
        driver.find_element(By.LINK_TEXT, os.environ["WEB_PETITION"]).click()
    else:
        driver.get(base + "/kien-nghi/" + os.environ["WEB_PETITION"])
    offered = [f.get_attribute("id") for f in driver.find_elements(By.CSS_SELECTOR, ".actions form")]
    page = main(driver)
    driver.find_element(By.CSS_SELECTOR, "#viec-tiep-nhan button").send_keys(Keys.ENTER)
    submitted(driver, page)
    accepted = driver.find_element(By.ID, "thong-bao").text
    # The officer asks the chair for more time (only the chair extends): written into the petition's history.
    asked = None
    if os.environ.get("WEB_ASK_EXTENSION"):
        page = main(driver)
        driver.find_element(By.ID, "de-nghi-gia-han-reason").send_keys(os.environ["WEB_ASK_EXTENSION"] + Keys.ENTER)
        submitted(driver, page)
        said = driver.find_elements(By.ID, "thong-bao") or driver.find_elements(By.ID, "loi")
        asked = said[0].text if said else driver.find_element(By.TAG_NAME, "main").text
    page = main(driver)
    driver.find_element(By.ID, "giai-quyet-resolution").send_keys("Đã sửa xong đoạn đường liên ấp" + Keys.ENTER)
    submitted(driver, page)
    # "Are you sure?": what will be recorded, and the confirming button has the focus.
    confirm = driver.find_element(By.ID, "se-ghi").text
    shoot(driver, "xac-nhan")
    page = main(driver)
    keys(driver, Keys.ENTER)
    submitted(driver, page)
    resolved = driver.find_element(By.ID, "thong-bao").text
    status = driver.find_element(By.ID, "trang-thai").text
    timeline = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#dien-bien li")]
    shoot(driver, "kien-nghi")
    print(json.dumps({"offered": offered, "accepted": accepted, "asked": asked, "confirm": confirm, "resolved": resolved, "status": status, "timeline": timeline,
                      "after": [f.get_attribute("id") for f in driver.find_elements(By.CSS_SELECTOR, ".actions form")]}, ensure_ascii=False))
finally:
    driver.quit()
