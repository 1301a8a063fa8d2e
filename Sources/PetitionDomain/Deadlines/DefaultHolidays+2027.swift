extension DefaultHolidays {
    /// 2027, not yet announced: derived from the Labour Code (see the file's `source`); replace it
    /// once the Government publishes the year's schedule.
    public static let json2027 = #"""
    {
      "year": 2027,
      "timeZone": "Asia/Ho_Chi_Minh",
      "source": "CHƯA CÓ THÔNG BÁO CHÍNH THỨC: suy ra từ Điều 112 (ngày nghỉ lễ, Tết) và Điều 111 khoản 3 (ngày lễ trùng ngày nghỉ hằng tuần thì nghỉ bù vào ngày làm việc kế tiếp) Bộ luật Lao động 2019; ngày âm lịch theo lịch Việt Nam (UTC+7). Tết Đinh Mùi: mùng 1 là thứ Bảy 06/02/2027; 5 ngày Tết lấy 28, 29 tháng Chạp và mùng 1 đến mùng 3 (04–08/02, như năm 2024 khi mùng 1 cũng là thứ Bảy), mùng 1 và mùng 2 trùng cuối tuần nên nghỉ bù thứ Ba 09/02 và thứ Tư 10/02. Giỗ Tổ Hùng Vương 10/3 Đinh Mùi là thứ Sáu 16/4/2027. 30/4 là thứ Sáu; 1/5 trùng thứ Bảy nên nghỉ bù thứ Hai 03/5. Quốc khánh 02/9 là thứ Năm, ngày liền kề chọn thứ Sáu 03/9 (như năm 2021). Chưa gồm Ngày Văn hóa Việt Nam 24/11. Sửa file này theo thông báo của Chính phủ, Bộ Nội vụ khi có.",
      "daysOff": [
        {"date": "2027-01-01", "name": "Tết Dương lịch"},
        {"date": "2027-02-04", "name": "Tết Nguyên Đán Đinh Mùi (28 tháng Chạp)"},
        {"date": "2027-02-05", "name": "Tết Nguyên Đán Đinh Mùi (29 tháng Chạp)"},
        {"date": "2027-02-06", "name": "Tết Nguyên Đán Đinh Mùi (mùng 1)"},
        {"date": "2027-02-07", "name": "Tết Nguyên Đán Đinh Mùi (mùng 2)"},
        {"date": "2027-02-08", "name": "Tết Nguyên Đán Đinh Mùi (mùng 3)"},
        {"date": "2027-02-09", "name": "Nghỉ bù Tết Nguyên Đán (mùng 1 trùng thứ Bảy)"},
        {"date": "2027-02-10", "name": "Nghỉ bù Tết Nguyên Đán (mùng 2 trùng Chủ nhật)"},
        {"date": "2027-04-16", "name": "Giỗ Tổ Hùng Vương (10/3 âm lịch)"},
        {"date": "2027-04-30", "name": "Ngày Chiến thắng 30/4"},
        {"date": "2027-05-01", "name": "Ngày Quốc tế Lao động 1/5"},
        {"date": "2027-05-03", "name": "Nghỉ bù Ngày Quốc tế Lao động (trùng thứ Bảy 1/5)"},
        {"date": "2027-09-02", "name": "Quốc khánh 2/9"},
        {"date": "2027-09-03", "name": "Quốc khánh (ngày liền kề 2/9)"}
      ],
      "workingDays": []
    }
    """#
}
