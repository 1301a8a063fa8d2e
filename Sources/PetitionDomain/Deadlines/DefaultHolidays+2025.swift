extension DefaultHolidays {
    /// 2025, as announced: Tết Ất Tỵ 25/01–02/02, 30/4–04/5 with Saturday 26/4 worked, Quốc khánh 30/8–02/9.
    public static let json2025 = #"""
    {
      "year": 2025,
      "timeZone": "Asia/Ho_Chi_Minh",
      "source": "Văn bản 8726/VPCP-KGVX ngày 26/11/2024 của Văn phòng Chính phủ (Thủ tướng đồng ý nghỉ Tết Âm lịch và các dịp lễ năm 2025): Tết Ất Tỵ nghỉ từ thứ Bảy 25/01 đến hết Chủ nhật 02/02/2025, 5 ngày Tết là 27–31/01 (28 tháng Chạp đến mùng 3); dịp 30/4 và 1/5 công chức, viên chức nghỉ từ thứ Tư 30/4 đến hết Chủ nhật 04/5/2025, hoán đổi ngày làm việc thứ Sáu 02/5 sang thứ Bảy 26/4/2025 (TTXVN/VietnamPlus). Quốc khánh: Bộ Nội vụ thông báo nghỉ từ thứ Bảy 30/8 đến hết thứ Ba 02/9/2025, ngày liền kề là thứ Hai 01/9. Tết Dương lịch (thứ Tư 01/01) và Giỗ Tổ Hùng Vương (10/3 Ất Tỵ, thứ Hai 07/4/2025) theo Điều 112 Bộ luật Lao động 2019.",
      "daysOff": [
        {"date": "2025-01-01", "name": "Tết Dương lịch"},
        {"date": "2025-01-27", "name": "Tết Nguyên Đán Ất Tỵ (28 tháng Chạp)"},
        {"date": "2025-01-28", "name": "Tết Nguyên Đán Ất Tỵ (29 tháng Chạp)"},
        {"date": "2025-01-29", "name": "Tết Nguyên Đán Ất Tỵ (mùng 1)"},
        {"date": "2025-01-30", "name": "Tết Nguyên Đán Ất Tỵ (mùng 2)"},
        {"date": "2025-01-31", "name": "Tết Nguyên Đán Ất Tỵ (mùng 3)"},
        {"date": "2025-04-07", "name": "Giỗ Tổ Hùng Vương (10/3 âm lịch)"},
        {"date": "2025-04-30", "name": "Ngày Chiến thắng 30/4"},
        {"date": "2025-05-01", "name": "Ngày Quốc tế Lao động 1/5"},
        {"date": "2025-05-02", "name": "Nghỉ hoán đổi dịp 30/4 và 1/5 (làm bù thứ Bảy 26/4/2025)"},
        {"date": "2025-09-01", "name": "Quốc khánh (ngày liền kề 2/9)"},
        {"date": "2025-09-02", "name": "Quốc khánh 2/9"}
      ],
      "workingDays": [
        {"date": "2025-04-26", "name": "Làm bù cho thứ Sáu 02/5/2025 (hoán đổi dịp 30/4 và 1/5)"}
      ]
    }
    """#
}
