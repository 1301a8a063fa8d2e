"""A department officer opens a referred petition from the home page's list, accepts it and records its resolution.
Screenshots of the petition page.

Environment: WEB_BASE, WEB_SHOTS, WEB_LOGIN, WEB_PASSWORD, WEB_PETITION. Prints one JSON object."""
import json
import os

from browser import By, Keys, login, main, shoot, start, submitted

driver = start()
try:
    login(driver, os.environ["WEB_LOGIN"], os.environ["WEB_PASSWORD"])
    driver.find_element(By.LINK_TEXT, os.environ["WEB_PETITION"]).click()
    offered = [f.get_attribute("id") for f in driver.find_elements(By.CSS_SELECTOR, ".actions form")]
    page = main(driver)
    driver.find_element(By.CSS_SELECTOR, "#viec-tiep-nhan button").send_keys(Keys.ENTER)
    submitted(driver, page)
    accepted = driver.find_element(By.ID, "thong-bao").text
    page = main(driver)
    driver.find_element(By.ID, "giai-quyet-resolution").send_keys("Đã sửa xong đoạn đường liên ấp" + Keys.ENTER)
    submitted(driver, page)
    resolved = driver.find_element(By.ID, "thong-bao").text
    status = driver.find_element(By.ID, "trang-thai").text
    timeline = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#dien-bien li")]
    shoot(driver, "kien-nghi")
    print(json.dumps({"offered": offered, "accepted": accepted, "resolved": resolved, "status": status, "timeline": timeline,
                      "after": [f.get_attribute("id") for f in driver.find_elements(By.CSS_SELECTOR, ".actions form")]}, ensure_ascii=False))
finally:
    driver.quit()
