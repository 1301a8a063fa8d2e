"""An administrator registers a department and appoints an officer to it from the administration page, renames the
department, gives the officer a login (the password shown once), and the officer logs in with it. Screenshots.

Environment: WEB_BASE, WEB_SHOTS, WEB_LOGIN, WEB_PASSWORD, WEB_UNIT (the commune's code). Prints one JSON object."""
import json
import os

from browser import By, Keys, Select, base, login, main, shoot, start, submitted

driver = start()
try:
    login(driver, os.environ["WEB_LOGIN"], os.environ["WEB_PASSWORD"])
    driver.find_element(By.LINK_TEXT, "Quản trị").click()
    shoot(driver, "quan-tri")
    notices = []

    def send(form, values):
        page = main(driver)
        for name, value in values.items():
            element = driver.find_element(By.CSS_SELECTOR, f"#{form} [name={name}]")
            if element.tag_name == "select":
                Select(element).select_by_value(value)
            else:
                element.send_keys(value)
        driver.find_element(By.CSS_SELECTOR, f"#{form} button").send_keys(Keys.ENTER)
        submitted(driver, page)
        shown = driver.find_elements(By.ID, "thong-bao") or driver.find_elements(By.ID, "loi")
        notices.append(shown[0].text if shown else "")

    unit = os.environ["WEB_UNIT"]
    send("them-co-quan", {"unit": unit, "code": "VH", "name": "Phòng Văn hóa - Xã hội"})
    send("them-can-bo", {"name": "Đinh Thị Hoa", "unit": unit, "department": "VH", "role": "department_officer"})
    officer = notices[-1].split("(")[-1].rstrip(").")
    send("cap-dang-nhap", {"officialId": officer, "login": "dinh.hoa"})
    password = driver.find_element(By.ID, "mat-khau").text
    # The department renamed: the officials' table names it so.
    send("doi-ten-co-quan", {"department": f"{unit}/VH", "name": "Phòng Văn hóa và Thông tin"})
    rows = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")] for tr in driver.find_elements(By.CSS_SELECTOR, "#bang-can-bo tbody tr")]
    # A department code already registered: the gateway refuses it, and the page says why in Vietnamese.
    send("them-co-quan", {"unit": unit, "code": "VH", "name": "Phòng trùng mã"})
    driver.delete_all_cookies()
    login(driver, "dinh.hoa", password)
    who = driver.find_element(By.CSS_SELECTOR, ".who span").text
    print(json.dumps({"notices": notices, "officer": officer, "rows": rows, "who": who, "password": len(password)}, ensure_ascii=False))
finally:
    driver.quit()
