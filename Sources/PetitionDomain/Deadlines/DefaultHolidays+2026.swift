extension DefaultHolidays {
    /// 2026, as announced: Tết Dương lịch 01–04/01 with Saturday 10/01 worked, Tết Bính Ngọ 14–22/02,
    /// Giỗ Tổ on a Sunday (Monday 27/4 off), 30/4–1/5, Quốc khánh 29/8–02/9 with Saturday 22/8 worked.
    public static let json2026 = #"""
    {
      "year": 2026,
      "timeZone": "Asia/Ho_Chi_Minh",
      "source": "Văn bản 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ: Tết Dương lịch nghỉ từ thứ Năm 01/01 đến hết Chủ nhật 04/01/2026, hoán đổi ngày làm việc thứ Sáu 02/01 sang thứ Bảy 10/01/2026. Thông báo 9441/TB-BNV ngày 16/10/2025 của Bộ Nội vụ: Tết Bính Ngọ nghỉ từ thứ Bảy 14/02 đến hết Chủ nhật 22/02/2026, 5 ngày Tết là 16–20/02 (29 tháng Chạp đến mùng 4); Quốc khánh nghỉ từ thứ Bảy 29/8 đến hết thứ Tư 02/9/2026 (01/9 và 02/9, thứ Hai 31/8 hoán đổi sang thứ Bảy 22/8/2026). Giỗ Tổ Hùng Vương (10/3 Bính Ngọ) trùng Chủ nhật 26/4/2026 nên nghỉ bù thứ Hai 27/4, và 30/4, 1/5 (thứ Năm, thứ Sáu), theo Điều 111 khoản 3 và Điều 112 Bộ luật Lao động 2019. Chưa gồm Ngày Văn hóa Việt Nam 24/11 (chủ trương tại Nghị quyết 80-NQ/TW, chờ sửa Điều 112 Bộ luật Lao động): thêm khi có hiệu lực.",
      "daysOff": [
        {"date": "2026-01-01", "name": "Tết Dương lịch"},
        {"date": "2026-01-02", "name": "Nghỉ hoán đổi dịp Tết Dương lịch (làm bù thứ Bảy 10/01/2026)"},
        {"date": "2026-02-16", "name": "Tết Nguyên Đán Bính Ngọ (29 tháng Chạp)"},
        {"date": "2026-02-17", "name": "Tết Nguyên Đán Bính Ngọ (mùng 1)"},
        {"date": "2026-02-18", "name": "Tết Nguyên Đán Bính Ngọ (mùng 2)"},
        {"date": "2026-02-19", "name": "Tết Nguyên Đán Bính Ngọ (mùng 3)"},
        {"date": "2026-02-20", "name": "Tết Nguyên Đán Bính Ngọ (mùng 4)"},
        {"date": "2026-04-26", "name": "Giỗ Tổ Hùng Vương (10/3 âm lịch)"},
        {"date": "2026-04-27", "name": "Nghỉ bù Giỗ Tổ Hùng Vương (trùng Chủ nhật 26/4)"},
        {"date": "2026-04-30", "name": "Ngày Chiến thắng 30/4"},
        {"date": "2026-05-01", "name": "Ngày Quốc tế Lao động 1/5"},
        {"date": "2026-08-31", "name": "Nghỉ hoán đổi dịp Quốc khánh (làm bù thứ Bảy 22/8/2026)"},
        {"date": "2026-09-01", "name": "Quốc khánh (ngày liền kề 2/9)"},
        {"date": "2026-09-02", "name": "Quốc khánh 2/9"}
      ],
      "workingDays": [
        {"date": "2026-01-10", "name": "Làm bù cho thứ Sáu 02/01/2026 (hoán đổi dịp Tết Dương lịch)"},
        {"date": "2026-08-22", "name": "Làm bù cho thứ Hai 31/8/2026 (hoán đổi dịp Quốc khánh)"}
      ]
    }
    """#
}
