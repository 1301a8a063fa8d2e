"""A clerk records a conference with the keyboard only: opens its minutes, enters three petitions (the first answered
on the spot, two referred as the chair decided, the department found by typing without diacritics), prints the
last one's receipt; a citizen then looks it up by its code. Screenshots of each page.

Environment: WEB_BASE, WEB_SHOTS, WEB_LOGIN, WEB_PASSWORD; WEB_CHAIR (who chairs, default Trần Văn A), WEB_DEPARTMENTS
(what is typed to find the two departments, default "kinh te,nong nghiep"), WEB_ASSIGNEE (default Lê Văn C). Prints one
JSON object: what the pages said."""
import json
import os

from browser import By, Keys, base, keys, login, main, shoot, start, submitted

driver = start()
try:
    login(driver, os.environ["WEB_LOGIN"], os.environ["WEB_PASSWORD"])
    driver.get(base + "/hoi-nghi/moi")
    shoot(driver, "mo-hoi-nghi")
    # The unit has the focus (its own is chosen); then title, date, time, chair, hamlet, how many attended, Enter.
    page = main(driver)
    keys(driver, Keys.TAB, "Đối thoại với nhân dân ấp Tây Huề", Keys.TAB, Keys.CONTROL + "a", "19/03/2026", Keys.TAB, "08:00", Keys.TAB,
         os.environ.get("WEB_CHAIR", "Trần Văn A"), Keys.TAB, "ấp Tây Huề", Keys.TAB, "120" + Keys.ENTER)
    submitted(driver, page)
    driver.find_element(By.ID, "nhap-kien-nghi")
    searches = os.environ.get("WEB_DEPARTMENTS", "kinh te,nong nghiep").split(",")
    session = driver.current_url.replace(base, "")
    petitions = [
        ("Nguyễn Thị B", "ấp Tây Huề", "0900000000", "Cấp giấy chứng nhận quyền sử dụng đất chậm", "answer", "UBND xã giải quyết trong quý II"),
        ("Phạm Văn D", "", "", "Đường liên xã qua ấp Tây Huề xuống cấp", "refer", searches[0]),
        ("Lê Thị E", "ấp Đông", "", "Kênh thủy lợi nội đồng bị bồi lắng", "refer", searches[1]),
    ]
    notices, policy, matches = [], [], []
    for name, address, phone, content, outcome, answer in petitions:
        # The citizen's name has the focus; Tab through address, phone, kind, field (their defaults), content.
        page = main(driver)
        keys(driver, name, Keys.TAB, address, Keys.TAB, phone, Keys.TAB, Keys.TAB, Keys.TAB, content, Keys.TAB)
        # The outcome: the first choice has the focus; an arrow key picks the next.
        if outcome == "answer":
            keys(driver, Keys.ARROW_RIGHT, Keys.TAB, answer, Keys.TAB, Keys.ENTER)
        else:
            # Referred as the chair decided (only the referral's fields are shown): the department found by typing without diacritics
            # (Enter goes on to the list, the first match chosen), the officer, the deadline left to the policy.
            keys(driver, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
            policy.append(driver.find_element(By.CSS_SELECTOR, "#han-theo-quy-dinh li:not([hidden])").text)
            keys(driver, Keys.TAB, answer)
            matches.append(driver.find_element(By.ID, "so-co-quan").text)
            keys(driver, Keys.ENTER, Keys.TAB, os.environ.get("WEB_ASSIGNEE", "Lê Văn C"), Keys.TAB, Keys.TAB, Keys.ENTER)
        submitted(driver, page)
        notices.append(driver.find_element(By.ID, "thong-bao").text)
    count = driver.find_element(By.ID, "so-kien-nghi").text
    shoot(driver, "ghi-kien-nghi")
    # The last petition's receipt, with its tracking code; then the citizens' lookup by that code, no login.
    driver.find_element(By.ID, "in-phieu").click()
    code = driver.find_element(By.ID, "ma-tra-cuu").text
    shoot(driver, "phieu-nhan")
    driver.delete_all_cookies()
    driver.get(base + "/tra-cuu")
    page = main(driver)
    keys(driver, code.lower().replace("-", " ") + Keys.ENTER)
    submitted(driver, page)
    tracked = driver.find_element(By.ID, "trang-thai-cong-dan").text
    shoot(driver, "tra-cuu")
    print(json.dumps({"url": driver.current_url, "notices": notices, "code": code, "tracked": tracked,
                      "body": driver.find_element(By.TAG_NAME, "body").text, "count": count,
                      "policy": policy, "matches": matches, "session": session}, ensure_ascii=False))
finally:
    driver.quit()
