"""A clerk records a conference in headless Chromium with the keyboard only: opens its minutes, then enters three
petitions, the first answered on the spot; screenshots of both pages at 1366x768 and 390x844.

Environment: WEB_BASE, WEB_LOGIN, WEB_PASSWORD, WEB_SHOTS. Prints one JSON object: what the pages said."""
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


def submitted(old):
    """Waits until the page that held `old` has been replaced by the answer to its form."""
    WebDriverWait(driver, 15).until(expected_conditions.staleness_of(old))


def keys(*sequence):
    """Types into whatever has the focus, as a person at the keyboard would."""
    for k in sequence:
        driver.switch_to.active_element.send_keys(k)


def shoot(name):
    for width, height in [(1366, 768), (390, 844)]:
        driver.set_window_size(width, height)
        driver.save_screenshot(os.path.join(shots, f"{name}-{width}.png"))
    driver.set_window_size(1366, 768)


try:
    driver.get(base + "/dang-nhap")
    keys(os.environ["WEB_LOGIN"], Keys.TAB, os.environ["WEB_PASSWORD"] + Keys.ENTER)
    driver.find_element(By.ID, "so-qua-han")
    driver.get(base + "/hoi-nghi/moi")
    shoot("mo-hoi-nghi")
    # The unit has the focus (its own is chosen); then title, date, time, chair, Enter.
    page = driver.find_element(By.TAG_NAME, "main")
    keys(Keys.TAB, "Đối thoại với nhân dân ấp Tây Huề", Keys.TAB, Keys.CONTROL + "a", "19/03/2026", Keys.TAB, "08:00", Keys.TAB,
         "Trần Văn A" + Keys.ENTER)
    submitted(page)
    driver.find_element(By.ID, "nhap-kien-nghi")
    petitions = [
        ("Nguyễn Thị B", "ấp Tây Huề", "0900000000", "Cấp giấy chứng nhận quyền sử dụng đất chậm", "answer", "UBND xã giải quyết trong quý II"),
        ("Phạm Văn D", "", "", "Đường liên xã qua ấp Tây Huề xuống cấp", "none", ""),
        ("Lê Thị E", "ấp Đông", "", "Kênh thủy lợi nội đồng bị bồi lắng", "none", ""),
    ]
    notices = []
    for name, address, phone, content, outcome, answer in petitions:
        # The citizen's name has the focus; Tab through address, phone, kind, field (their defaults), content.
        page = driver.find_element(By.TAG_NAME, "main")
        keys(name, Keys.TAB, address, Keys.TAB, phone, Keys.TAB, Keys.TAB, Keys.TAB, content, Keys.TAB)
        # The outcome: the first choice has the focus; an arrow key picks the next.
        if outcome == "answer":
            keys(Keys.ARROW_RIGHT, Keys.TAB, answer, Keys.TAB, Keys.ENTER)
        else:
            keys(Keys.TAB, Keys.TAB, Keys.ENTER)
        submitted(page)
        notices.append(driver.find_element(By.ID, "thong-bao").text)
    count = driver.find_element(By.ID, "so-kien-nghi").text
    shoot("ghi-kien-nghi")
    # The last petition's receipt, with its tracking code; then the citizens' lookup by that code, no login.
    driver.find_element(By.ID, "in-phieu").click()
    code = driver.find_element(By.ID, "ma-tra-cuu").text
    shoot("phieu-nhan")
    driver.delete_all_cookies()
    driver.get(base + "/tra-cuu")
    page = driver.find_element(By.TAG_NAME, "main")
    keys(code.lower().replace("-", " ") + Keys.ENTER)
    submitted(page)
    tracked = driver.find_element(By.ID, "trang-thai-cong-dan").text
    shoot("tra-cuu")
    print(json.dumps({"url": driver.current_url, "notices": notices, "code": code, "tracked": tracked, "body": driver.find_element(By.TAG_NAME, "body").text, "count": count},
                     ensure_ascii=False))
finally:
    driver.quit()
