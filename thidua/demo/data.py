"""Fixed material of the demo province: units, blocs, names, texts and money tables.

Everything here is invented for demonstration except the public shape of Lai Châu after the
1 July 2025 reform (two wards and 36 communes replacing eight districts and a city, departments
merged) and the public base salaries and bonus coefficients. No name belongs to a real person.
"""

from __future__ import annotations

import datetime as dt

PROVINCE_CODE = "LC"
PROVINCE_NAME = "UBND tỉnh Lai Châu"
PROVINCE_AUTHORITY = "UBND tỉnh Lai Châu"
PROVINCE_ADDRESS = "Phường Đoàn Kết, tỉnh Lai Châu"

FIRST_YEAR = 2016
LAST_YEAR = 2025
YEARS = tuple(range(FIRST_YEAR, LAST_YEAR + 1))
# The reform date: districts end the day before, communes take over their powers.
REFORM_DAY = dt.date(2025, 7, 1)
DISTRICT_LAST_DAY = dt.date(2025, 6, 30)
# Nothing in the demo is dated after this day, so the data looks the same whenever it is loaded.
LATEST_DAY = dt.date(2026, 11, 20)

# 12 characters at least, as every password (issue 13, item 6).
DEMO_PASSWORD = "thiduatinh2026"
# The demo's accounts whose role requires a second factor share this authenticator key, published in the
# README so the demo can be tried at once: add it to an authenticator app (or type the code it shows). It
# protects nothing; a real installation has no demo accounts, and every real account enrols its own key.
DEMO_TOTP_SECRET = "THIDUADEMOKHONGDUNGCHOTHUCTEABCD"

# The authorities whose last-year cycle the demo runs through the product's workflow instead of
# generating its decisions: Sở Y tế (its director decides its staff's titles) and two communes.
WORKFLOW_COMMUNES = ("LC.X.BINHLU", "LC.X.BANBO")
WORKFLOW_AUTHORITIES = ("LC.SYT", *WORKFLOW_COMMUNES)

# --- Departments, boards and sectors under the provincial committee, after the 2025 mergers. ---
# (code suffix, name, kind, decision abbreviation, head title, bloc, own weight, sub-units)
# Weights are people per 5,000; sub-units are (code suffix, name, weight).
DEPARTMENTS: list[tuple[str, str, str, str, str, str, float, list[tuple[str, str, float]]]] = [
    ("VP", "Văn phòng UBND tỉnh", "department", "VP", "Chánh Văn phòng", "K_TH", 8, [
        ("HCTC", "Phòng Hành chính – Tổ chức", 8),
        ("KT", "Phòng Kinh tế", 7),
        ("KGVX", "Phòng Khoa giáo – Văn xã", 6),
        ("TTPVHCC", "Trung tâm Phục vụ hành chính công", 10),
    ]),
    ("SNV", "Sở Nội vụ", "department", "SNV", "Giám đốc", "K_TH", 7, [
        ("VP", "Văn phòng Sở", 6),
        ("TCBC", "Phòng Tổ chức, biên chế và tổ chức phi chính phủ", 6),
        ("XDCQ", "Phòng Xây dựng chính quyền và công tác thanh niên", 6),
        ("TDKT", "Phòng Thi đua, khen thưởng", 6),
        ("LDVL", "Phòng Lao động, việc làm và bảo hiểm xã hội", 6),
        ("TTDVVL", "Trung tâm Dịch vụ việc làm", 10),
    ]),
    ("STC", "Sở Tài chính", "department", "STC", "Giám đốc", "K_TH", 7, [
        ("VP", "Văn phòng Sở", 6),
        ("NS", "Phòng Quản lý ngân sách", 6),
        ("DT", "Phòng Quản lý đầu tư", 6),
        ("DKKD", "Phòng Đăng ký kinh doanh", 5),
    ]),
    ("STP", "Sở Tư pháp", "department", "STP", "Giám đốc", "K_TH", 6, [
        ("VP", "Văn phòng Sở", 5),
        ("XDVB", "Phòng Xây dựng và kiểm tra văn bản", 5),
        ("TGPL", "Trung tâm Trợ giúp pháp lý nhà nước", 8),
    ]),
    ("TTR", "Thanh tra tỉnh", "board", "TTr", "Chánh Thanh tra", "K_TH", 6, [
        ("VP", "Văn phòng", 4),
        ("NV1", "Phòng Nghiệp vụ 1", 5),
        ("PCTN", "Phòng Phòng, chống tham nhũng", 5),
    ]),
    ("SCT", "Sở Công Thương", "department", "SCT", "Giám đốc", "K_KT", 6, [
        ("VP", "Văn phòng Sở", 5),
        ("QLCN", "Phòng Quản lý công nghiệp", 5),
        ("QLTM", "Phòng Quản lý thương mại", 5),
    ]),
    ("SNNMT", "Sở Nông nghiệp và Môi trường", "department", "SNNMT", "Giám đốc", "K_KT", 8, [
        ("VP", "Văn phòng Sở", 6),
        ("TT", "Phòng Trồng trọt và Bảo vệ thực vật", 6),
        ("QLDD", "Phòng Quản lý đất đai", 6),
        ("KL", "Chi cục Kiểm lâm", 22),
        ("TTKN", "Trung tâm Khuyến nông", 12),
    ]),
    ("SXD", "Sở Xây dựng", "department", "SXD", "Giám đốc", "K_KT", 7, [
        ("VP", "Văn phòng Sở", 6),
        ("QLXD", "Phòng Quản lý xây dựng", 6),
        ("GT", "Phòng Quản lý kết cấu hạ tầng giao thông", 6),
        ("QLHT", "Phòng Quy hoạch – Kiến trúc", 5),
    ]),
    ("SKHCN", "Sở Khoa học và Công nghệ", "department", "SKHCN", "Giám đốc", "K_KT", 6, [
        ("VP", "Văn phòng Sở", 5),
        ("QLKH", "Phòng Quản lý khoa học", 5),
        ("CDS", "Phòng Chuyển đổi số", 5),
        ("TTCN", "Trung tâm Ứng dụng khoa học và công nghệ", 8),
    ]),
    ("BQLKKT", "Ban Quản lý các khu kinh tế", "board", "BQLKKT", "Trưởng ban", "K_KT", 5, [
        ("VP", "Văn phòng Ban", 5),
        ("QLDN", "Phòng Quản lý doanh nghiệp", 5),
    ]),
    ("BQLDA", "Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp",
     "board", "BQLDA", "Giám đốc", "K_KT", 6, [
        ("KH", "Phòng Kế hoạch – Tổng hợp", 6),
        ("DH", "Phòng Điều hành dự án", 8),
    ]),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "department", "SGDĐT", "Giám đốc", "K_VX", 7, [
        ("VP", "Văn phòng Sở", 6),
        ("GDPT", "Phòng Giáo dục phổ thông", 6),
        ("GDMN", "Phòng Giáo dục mầm non và tiểu học", 5),
        ("KTKD", "Phòng Khảo thí và Kiểm định chất lượng", 5),
    ]),
    ("SYT", "Sở Y tế", "department", "SYT", "Giám đốc", "K_VX", 7, [
        ("VP", "Văn phòng Sở", 6),
        ("NVY", "Phòng Nghiệp vụ Y – Dược", 6),
        ("KHTC", "Phòng Kế hoạch – Tài chính", 5),
    ]),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "department", "SVHTTDL", "Giám đốc", "K_VX", 6, [
        ("VP", "Văn phòng Sở", 5),
        ("QLVH", "Phòng Quản lý văn hóa và Gia đình", 5),
        ("QLDL", "Phòng Quản lý du lịch", 5),
        ("BT", "Bảo tàng tỉnh", 8),
        ("TV", "Thư viện tỉnh", 7),
    ]),
    ("SDTTG", "Sở Dân tộc và Tôn giáo", "department", "SDTTG", "Giám đốc", "K_VX", 5, [
        ("VP", "Văn phòng Sở", 5),
        ("CSDT", "Phòng Chính sách dân tộc", 5),
        ("TG", "Phòng Tôn giáo", 4),
    ]),
    ("BPTTH", "Báo và Phát thanh, Truyền hình Lai Châu", "sector", "BPTTH", "Tổng Biên tập", "K_VX", 8, [
        ("TS", "Phòng Thời sự", 10),
        ("BT", "Phòng Biên tập", 8),
        ("KT", "Phòng Kỹ thuật – Công nghệ", 8),
    ]),
    ("CDLC", "Trường Cao đẳng Lai Châu", "school", "CĐLC", "Hiệu trưởng", "K_VX", 10, [
        ("KSP", "Khoa Sư phạm", 16),
        ("KNL", "Khoa Nông lâm", 14),
        ("KYT", "Khoa Y dược", 14),
    ]),
]  # fmt: skip

# (code suffix, name, decision abbreviation, head title, weight)
MASS_ORGANISATIONS: list[tuple[str, str, str, str, float]] = [
    ("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "MTTQ", "Chủ tịch", 22),
    ("TD", "Tỉnh đoàn Lai Châu", "TĐTN", "Bí thư", 16),
    ("HLHPN", "Hội Liên hiệp Phụ nữ tỉnh", "HLHPN", "Chủ tịch", 14),
    ("HND", "Hội Nông dân tỉnh", "HND", "Chủ tịch", 14),
    ("LDLD", "Liên đoàn Lao động tỉnh", "LĐLĐ", "Chủ tịch", 16),
    ("HCCB", "Hội Cựu chiến binh tỉnh", "HCCB", "Chủ tịch", 10),
]

# (code suffix, name, decision abbreviation, weight) – invented companies in the province's trades.
ENTERPRISES: list[tuple[str, str, str, float]] = [
    ("CHETU", "Công ty cổ phần Chè Tân Uyên", "CTCP", 45),
    ("CAPNUOC", "Công ty cổ phần Cấp nước và Môi trường Lai Châu", "CN", 35),
    ("XSKT", "Công ty TNHH MTV Xổ số kiến thiết Lai Châu", "XSKT", 14),
    ("THUYDIEN", "Công ty cổ phần Thủy điện Nậm Lụm", "TĐ", 25),
    ("XDGT", "Công ty cổ phần Xây dựng và Giao thông Lai Châu", "XDGT", 40),
    ("HTXSONBINH", "Hợp tác xã Nông nghiệp Sơn Bình", "HTX", 16),
]

# The eight former districts and the city: (code suffix, name, the commune that took over its seat).
DISTRICTS: list[tuple[str, str, str]] = [
    ("TPLAICHAU", "Thành phố Lai Châu", "DOANKET"),
    ("TAMDUONG", "Huyện Tam Đường", "BINHLU"),
    ("PHONGTHO", "Huyện Phong Thổ", "PHONGTHO"),
    ("SINHO", "Huyện Sìn Hồ", "SINHO"),
    ("NAMNHUN", "Huyện Nậm Nhùn", "NAMHANG"),
    ("MUONGTE", "Huyện Mường Tè", "MUONGTE"),
    ("THANUYEN", "Huyện Than Uyên", "THANUYEN"),
    ("TANUYEN", "Huyện Tân Uyên", "TANUYEN"),
]

# The 38 wards and communes from 1 July 2025: (name, kind, former district, border, highland,
# especially difficult). Area flags are demonstration values, not an official classification.
COMMUNES: list[tuple[str, str, str, bool, bool, bool]] = [
    ("Tân Phong", "ward", "TPLAICHAU", False, False, False),
    ("Đoàn Kết", "ward", "TPLAICHAU", False, False, False),
    ("Bình Lư", "commune", "TAMDUONG", False, False, False),
    ("Bản Bo", "commune", "TAMDUONG", False, True, False),
    ("Tả Lèng", "commune", "TAMDUONG", False, True, True),
    ("Khun Há", "commune", "TAMDUONG", False, True, True),
    ("Phong Thổ", "commune", "PHONGTHO", False, False, False),
    ("Dào San", "commune", "PHONGTHO", True, True, True),
    ("Sì Lở Lầu", "commune", "PHONGTHO", True, True, True),
    ("Sin Suối Hồ", "commune", "PHONGTHO", True, True, False),
    ("Khổng Lào", "commune", "PHONGTHO", True, True, False),
    ("Sìn Hồ", "commune", "SINHO", False, True, False),
    ("Tủa Sín Chải", "commune", "SINHO", False, True, True),
    ("Hồng Thu", "commune", "SINHO", False, True, False),
    ("Nậm Tăm", "commune", "SINHO", False, True, False),
    ("Pu Sam Cáp", "commune", "SINHO", False, True, True),
    ("Nậm Cuổi", "commune", "SINHO", False, True, True),
    ("Nậm Mạ", "commune", "SINHO", False, True, False),
    ("Lê Lợi", "commune", "NAMNHUN", False, True, False),
    ("Nậm Hàng", "commune", "NAMNHUN", False, True, False),
    ("Mường Mô", "commune", "NAMNHUN", False, True, True),
    ("Hua Bum", "commune", "NAMNHUN", False, True, True),
    ("Pa Tần", "commune", "NAMNHUN", False, True, True),
    ("Mường Tè", "commune", "MUONGTE", False, True, False),
    ("Bum Nưa", "commune", "MUONGTE", False, True, True),
    ("Bum Tở", "commune", "MUONGTE", True, True, False),
    ("Thu Lũm", "commune", "MUONGTE", True, True, True),
    ("Pa Ủ", "commune", "MUONGTE", True, True, True),
    ("Mù Cả", "commune", "MUONGTE", True, True, True),
    ("Tà Tổng", "commune", "MUONGTE", False, True, True),
    ("Than Uyên", "commune", "THANUYEN", False, False, False),
    ("Mường Than", "commune", "THANUYEN", False, False, False),
    ("Mường Kim", "commune", "THANUYEN", False, False, False),
    ("Khoen On", "commune", "THANUYEN", False, True, False),
    ("Tân Uyên", "commune", "TANUYEN", False, False, False),
    ("Pắc Ta", "commune", "TANUYEN", False, False, False),
    ("Mường Khoa", "commune", "TANUYEN", False, True, False),
    ("Nậm Sỏ", "commune", "TANUYEN", False, True, True),
]

# Weights of the units that every commune or ward has.
COMMUNE_WEIGHT = 30.0
COMMUNE_SCHOOL_WEIGHTS = {"MN": 9.0, "TH": 11.0, "THCS": 10.0}
COMMUNE_HEALTH_WEIGHT = 5.0
# Share of a commune's people who are its officials; the rest are farmers and direct workers.
COMMUNE_OFFICIAL_SHARE = 0.4

# Upper-secondary schools under the Department of Education: (code suffix, name, commune).
UPPER_SCHOOLS: list[tuple[str, str, str]] = [
    ("CHUYEN", "Trường THPT Chuyên Lê Quý Đôn", "Đoàn Kết"),
    ("TPLC", "Trường THPT Thành phố Lai Châu", "Tân Phong"),
    ("QUYETTHANG", "Trường THPT Quyết Thắng", "Đoàn Kết"),
    ("TAMDUONG", "Trường THPT Tam Đường", "Bình Lư"),
    ("BANBO", "Trường THPT Bản Bo", "Bản Bo"),
    ("PHONGTHO", "Trường THPT Phong Thổ", "Phong Thổ"),
    ("MUONGSO", "Trường THPT Mường So", "Khổng Lào"),
    ("DAOSAN", "Trường THPT Dào San", "Dào San"),
    ("SINHO", "Trường THPT Sìn Hồ", "Sìn Hồ"),
    ("NAMTAM", "Trường THPT Nậm Tăm", "Nậm Tăm"),
    ("NAMNHUN", "Trường THPT Nậm Nhùn", "Nậm Hàng"),
    ("MUONGTE", "Trường THPT Mường Tè", "Mường Tè"),
    ("THANUYEN", "Trường THPT Than Uyên", "Than Uyên"),
    ("MUONGKIM", "Trường THPT Mường Kim", "Mường Kim"),
    ("TANUYEN", "Trường THPT Tân Uyên", "Tân Uyên"),
    ("TRUNGDONG", "Trường THPT Trung Đồng", "Pắc Ta"),
    ("DTNT", "Trường Phổ thông Dân tộc nội trú tỉnh", "Tân Phong"),
]
UPPER_SCHOOL_WEIGHT = 32.0

# Health units under the Department of Health: (code suffix, name, kind, weight, sub-units).
HEALTH_UNITS: list[tuple[str, str, str, float, list[tuple[str, str, float]]]] = [
    ("BVDK", "Bệnh viện Đa khoa tỉnh", "hospital", 18, [
        ("KNOI", "Khoa Nội tổng hợp", 26),
        ("KNGOAI", "Khoa Ngoại tổng hợp", 24),
        ("KSAN", "Khoa Phụ sản", 20),
        ("KNHI", "Khoa Nhi", 20),
        ("KHSTC", "Khoa Hồi sức tích cực – Chống độc", 18),
        ("KCC", "Khoa Cấp cứu", 18),
        ("KTN", "Khoa Truyền nhiễm", 12),
        ("KXN", "Khoa Xét nghiệm", 12),
        ("KCDHA", "Khoa Chẩn đoán hình ảnh", 10),
        ("KDUOC", "Khoa Dược", 10),
    ]),
    ("BVYDCT", "Bệnh viện Y dược cổ truyền và Phục hồi chức năng", "hospital", 14, [
        ("KYHCT", "Khoa Y học cổ truyền", 14),
        ("KPHCN", "Khoa Phục hồi chức năng", 12),
    ]),
    ("CDC", "Trung tâm Kiểm soát bệnh tật tỉnh", "hospital", 16, [
        ("KPCBTN", "Khoa Phòng, chống bệnh truyền nhiễm", 10),
        ("KSKSS", "Khoa Sức khỏe sinh sản", 8),
    ]),
    ("TTYTTD", "Trung tâm Y tế khu vực Tam Đường", "hospital", 40, []),
    ("TTYTPT", "Trung tâm Y tế khu vực Phong Thổ", "hospital", 44, []),
    ("TTYTSH", "Trung tâm Y tế khu vực Sìn Hồ", "hospital", 44, []),
    ("TTYTNN", "Trung tâm Y tế khu vực Nậm Nhùn", "hospital", 30, []),
    ("TTYTMT", "Trung tâm Y tế khu vực Mường Tè", "hospital", 36, []),
    ("TTYTTU", "Trung tâm Y tế khu vực Than Uyên", "hospital", 44, []),
    ("TTYTTAU", "Trung tâm Y tế khu vực Tân Uyên", "hospital", 40, []),
]  # fmt: skip

# Blocs and clusters: (code, name, kind, description).
BLOCS: list[tuple[str, str, str, str]] = [
    ("K_TH", "Khối các cơ quan tổng hợp", "khoi",
     "Văn phòng UBND tỉnh, các sở và cơ quan làm công tác tổng hợp, nội chính."),
    ("K_KT", "Khối các sở kinh tế – kỹ thuật", "khoi",
     "Các sở, ban quản lý làm công tác kinh tế, kỹ thuật, đầu tư."),
    ("K_VX", "Khối văn hóa – xã hội", "khoi",
     "Các sở, đơn vị giáo dục, y tế, văn hóa, dân tộc, báo chí."),
    ("K_DT", "Khối các tổ chức chính trị – xã hội", "khoi",
     "Mặt trận Tổ quốc và các tổ chức chính trị – xã hội cấp tỉnh."),
    ("K_DN", "Khối doanh nghiệp", "khoi", "Các doanh nghiệp, hợp tác xã trên địa bàn tỉnh."),
    ("C_HUYEN", "Cụm các huyện, thành phố", "cum",
     "Các huyện và thành phố trước ngày 01/7/2025."),
    ("C_BG", "Cụm các xã biên giới", "cum", "Các xã có đường biên giới với Trung Quốc."),
    ("C_VC", "Cụm các xã vùng cao", "cum", "Các xã vùng cao không có đường biên giới."),
    ("C_VT", "Cụm các phường và xã vùng thấp", "cum",
     "Hai phường và các xã vùng thấp, trung tâm các huyện cũ."),
]  # fmt: skip

# --- People ---

# Ethnic mixes, in percent, by the former district of a commune and for the provincial bodies.
ETHNIC_PROFILES: dict[str, dict[str, float]] = {
    "PROVINCE": {"Kinh": 55, "Thái": 18, "Mông": 10, "Dao": 6, "Giáy": 4, "Hà Nhì": 2, "Lự": 2,
                 "Khơ Mú": 1, "Lào": 1, "Mảng": 0.5, "Cống": 0.3, "La Hủ": 0.2},
    "TPLAICHAU": {"Kinh": 45, "Thái": 20, "Mông": 12, "Dao": 8, "Giáy": 7, "Lự": 3, "Hà Nhì": 2,
                  "Khơ Mú": 2, "Lào": 1},
    "TAMDUONG": {"Mông": 30, "Dao": 22, "Thái": 16, "Giáy": 12, "Kinh": 10, "Lự": 7, "Hà Nhì": 2,
                 "Khơ Mú": 1},
    "PHONGTHO": {"Dao": 34, "Mông": 30, "Thái": 10, "Giáy": 9, "Hà Nhì": 7, "Kinh": 6, "Lào": 2,
                 "Khơ Mú": 2},
    "SINHO": {"Mông": 50, "Thái": 17, "Dao": 12, "Kinh": 7, "Hà Nhì": 5, "Lự": 5, "Khơ Mú": 3,
              "Lào": 1},
    "NAMNHUN": {"Mông": 30, "Thái": 24, "Hà Nhì": 14, "Mảng": 8, "Khơ Mú": 8, "Kinh": 8, "Cống": 3,
                "Dao": 5},
    "MUONGTE": {"Hà Nhì": 34, "La Hủ": 20, "Mông": 12, "Thái": 10, "Cống": 6, "Kinh": 6, "Mảng": 4,
                "Dao": 4, "Si La": 3, "Khơ Mú": 1},
    "THANUYEN": {"Thái": 55, "Mông": 18, "Kinh": 15, "Khơ Mú": 6, "Dao": 4, "Lào": 2},
    "TANUYEN": {"Thái": 40, "Mông": 25, "Kinh": 15, "Khơ Mú": 8, "Dao": 8, "Lào": 4},
}  # fmt: skip

_KINH_MIDDLE_MALE = [
    "Văn",
    "Văn",
    "Văn",
    "Đức",
    "Minh",
    "Quang",
    "Hữu",
    "Xuân",
    "Công",
    "Thanh",
    "Ngọc",
    "Mạnh",
    "Tiến",
    "Duy",
    "Trung",
    "Hoàng",
    "Anh",
    "Đình",
    "Bá",
    "Quốc",
]
_KINH_MIDDLE_FEMALE = [
    "Thị",
    "Thị",
    "Thị",
    "Thị",
    "Thu",
    "Thanh",
    "Ngọc",
    "Hồng",
    "Thùy",
    "Minh",
    "Phương",
    "Kim",
    "Bích",
    "Hải",
    "Diệu",
    "Mai",
    "Lan",
    "Hoài",
]
KINH_GIVEN_MALE = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đức",
    "Giang",
    "Hải",
    "Hùng",
    "Huy",
    "Khánh",
    "Long",
    "Minh",
    "Nam",
    "Phong",
    "Quân",
    "Sơn",
    "Thắng",
    "Thành",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
    "Tùng",
    "Hoàng",
    "Hiếu",
    "Kiên",
    "Lâm",
    "Hưng",
    "Thịnh",
    "Toàn",
    "Đạt",
    "Chiến",
    "Quyết",
    "Tâm",
    "Hòa",
    "Lợi",
    "Phúc",
    "Trường",
    "Bảo",
    "Khoa",
]
KINH_GIVEN_FEMALE = [
    "Anh",
    "Chi",
    "Dung",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hiền",
    "Hoa",
    "Hồng",
    "Huệ",
    "Hương",
    "Lan",
    "Liên",
    "Linh",
    "Loan",
    "Mai",
    "Ngọc",
    "Nhung",
    "Oanh",
    "Phương",
    "Quỳnh",
    "Thảo",
    "Thủy",
    "Trang",
    "Tuyết",
    "Vân",
    "Yến",
    "Nga",
    "Thúy",
    "Huyền",
    "Giang",
    "Duyên",
    "Hậu",
    "Nhàn",
    "Ly",
    "Châm",
    "Xuân",
]

# Per ethnicity: family names (with weights), middle names and given names by gender. Younger
# minority people often carry Kinh-style given names, which the generator mixes in by birth year.
NAMES: dict[str, dict[str, list]] = {
    "Kinh": {
        "families": [("Nguyễn", 30), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Vũ", 4),
                     ("Đặng", 2.5), ("Bùi", 2.5), ("Đỗ", 2.5), ("Hồ", 1.5), ("Ngô", 1.5),
                     ("Dương", 1.2), ("Lý", 0.6), ("Đào", 1.2), ("Đinh", 1.2), ("Mai", 0.8),
                     ("Trịnh", 0.8), ("Lương", 0.8), ("Phan", 1.5), ("Tạ", 0.5), ("Cao", 0.6),
                     ("Lưu", 0.5), ("Quách", 0.3), ("Tô", 0.4), ("Hà", 0.8)],
        "middle_male": _KINH_MIDDLE_MALE,
        "middle_female": _KINH_MIDDLE_FEMALE,
        "given_male": KINH_GIVEN_MALE,
        "given_female": KINH_GIVEN_FEMALE,
    },
    "Thái": {
        "families": [("Lò", 30), ("Lường", 18), ("Tao", 12), ("Hoàng", 10), ("Điêu", 8), ("Lù", 6),
                     ("Cầm", 6), ("Quàng", 5), ("Vì", 3), ("Lê", 2)],
        "middle_male": ["Văn", "Văn", "Văn", "Văn", "Đức", "Minh"],
        "middle_female": ["Thị", "Thị", "Thị", "Thị", "Thu", "Ngọc"],
        "given_male": ["Bun", "Chăm", "Ương", "Khăm", "Phóng", "Ơn", "Pọm", "Xiêng", "Inh", "Lả",
                       "Sương", "Tiến", "Hùng", "Sơn", "Thanh", "Chiến", "Kiên", "Thắng"],
        "given_female": ["Ín", "Pâng", "Ủi", "Bún", "Lả", "Ươi", "En", "Xuân", "Hoa", "Thoa",
                         "Nhung", "Mai", "Ngọc", "Phương", "Kim", "Hương", "Lan", "Dung"],
    },
    "Mông": {
        "families": [("Giàng", 22), ("Vàng", 18), ("Thào", 14), ("Sùng", 12), ("Lý", 9), ("Hạng", 7),
                     ("Mùa", 7), ("Lầu", 5), ("Tráng", 3), ("Hờ", 2), ("Cứ", 1)],
        "middle_male": ["A", "A", "A", "A", "Seo", "Seo", "Văn", "Văn", "Páo"],
        "middle_female": ["Thị", "Thị", "Thị", "Thị", "Thị"],
        "given_male": ["Páo", "Chỉn", "Lử", "Chu", "Tủa", "Sử", "Dế", "Chứ", "Lồng", "Sình", "Pó",
                       "Vừ", "Nếnh", "Thề", "Dìa", "Cháng", "Phừ", "Xá", "Giàng", "Khua"],
        "given_female": ["Mỷ", "Dở", "Sua", "Mai", "Dung", "Sinh", "Pà", "Mỉ", "Dợ", "Xá", "Chơ",
                         "Xúa", "Chi", "Dính", "Say", "Ly", "Dế", "Của"],
    },
    "Dao": {
        "families": [("Tẩn", 28), ("Chảo", 22), ("Phàn", 18), ("Lý", 14), ("Đặng", 8), ("Triệu", 6),
                     ("Bàn", 4)],
        "middle_male": ["Láo", "Láo", "Văn", "Văn", "Phủ", "Quẩy", "A"],
        "middle_female": ["Thị", "Thị", "Thị", "Mý", "Mẩy"],
        "given_male": ["Lở", "Sành", "Lìn", "Chiêu", "Quẩy", "Phin", "Vần", "Sài", "Chản", "Chàn",
                       "Dào", "Kim", "Lâm", "Phấu", "Tả", "Vảng", "Mình"],
        "given_female": ["Mẩy", "Chiêu", "Sảy", "Xoan", "Dính", "Phấy", "Mây", "Sử", "Slan", "Chạn",
                         "Lở", "Kiều"],
    },
    "Hà Nhì": {
        "families": [("Pờ", 25), ("Lỳ", 25), ("Chu", 20), ("Phu", 12), ("Hù", 8), ("Chang", 6),
                     ("Sần", 4)],
        "middle_male": ["Xé", "Ba", "Hừ", "Chừ", "Gơ", "Xá", "Văn"],
        "middle_female": ["Thị", "Thị", "Mỳ", "Mé"],
        "given_male": ["Ký", "Lò", "Dì", "Cà", "Sạ", "Xá", "Pu", "Chừ", "Gừ", "Hừ", "Lé", "Phì"],
        "given_female": ["Gờ", "Xá", "Chà", "Mé", "Pa", "Dơ", "Ma", "Xe", "Phì", "Sừ"],
    },
    "Lự": {
        "families": [("Lò", 40), ("Tao", 25), ("Lường", 20), ("Lý", 10), ("Chang", 5)],
        "middle_male": ["Văn", "Văn", "Văn"],
        "middle_female": ["Thị", "Thị", "Thị"],
        "given_male": ["Ương", "Khăm", "Pan", "Xiêng", "Chăn", "Pọm", "Phanh", "Ín"],
        "given_female": ["Ín", "Pan", "Xanh", "Ương", "Phăn", "Ui", "Lả"],
    },
    "Giáy": {
        "families": [("Lù", 30), ("Vương", 20), ("Hoàng", 15), ("Lò", 15), ("Sần", 10), ("Lồ", 10)],
        "middle_male": ["Văn", "Văn", "Văn", "Seo"],
        "middle_female": ["Thị", "Thị", "Thị"],
        "given_male": ["Dín", "Chín", "Phủ", "Lợi", "Sằm", "Páo", "Thìn", "Chăn", "Sinh"],
        "given_female": ["Dín", "Lan", "Mai", "Sướng", "Chăm", "Sừ", "Lìn"],
    },
    "Khơ Mú": {
        "families": [("Cà", 30), ("Quàng", 25), ("Lò", 20), ("Vì", 15), ("Lù", 10)],
        "middle_male": ["Văn", "Văn", "Văn"],
        "middle_female": ["Thị", "Thị", "Thị"],
        "given_male": ["Piêng", "Ún", "Chăn", "Phon", "Xanh", "Khiêm", "Tấn"],
        "given_female": ["Ả", "Piêng", "Ún", "Xa", "Inh", "Hoa"],
    },
    "La Hủ": {
        "families": [("Lò", 30), ("Phàn", 20), ("Chu", 20), ("Lỳ", 15), ("Pờ", 15)],
        "middle_male": ["A", "Xà", "Văn", "Lù"],
        "middle_female": ["Thị", "Na", "Thị"],
        "given_male": ["Phứ", "Lánh", "Pá", "Sừ", "Chè", "Su", "Ma", "Xí", "Lư"],
        "given_female": ["Ma", "Pa", "Chè", "Su", "Na", "Xe"],
    },
    "Mảng": {
        "families": [("Lò", 35), ("Chang", 25), ("Lường", 20), ("Vàng", 10), ("Điêu", 10)],
        "middle_male": ["Văn", "Văn"],
        "middle_female": ["Thị", "Thị"],
        "given_male": ["Nghiệp", "Khướng", "Panh", "Xiêng", "Sinh", "Tọ"],
        "given_female": ["Ọ", "Nhót", "Xanh", "Panh", "Mai"],
    },
    "Cống": {
        "families": [("Chang", 30), ("Lò", 25), ("Pạc", 20), ("Lỳ", 15), ("Hoàng", 10)],
        "middle_male": ["Văn", "Văn"],
        "middle_female": ["Thị", "Thị"],
        "given_male": ["Thanh", "Chẩn", "Sung", "Pà", "Lanh"],
        "given_female": ["Phà", "Nhi", "Lả", "Mai", "Xuân"],
    },
    "Si La": {
        "families": [("Hù", 40), ("Pờ", 30), ("Lý", 30)],
        "middle_male": ["Văn", "Cà", "Văn"],
        "middle_female": ["Thị", "Thị"],
        "given_male": ["Lừ", "Chừ", "Cà", "Sa", "Khừ"],
        "given_female": ["Ma", "Gừ", "Sa", "Mé"],
    },
    "Lào": {
        "families": [("Lò", 40), ("Tao", 30), ("Cầm", 30)],
        "middle_male": ["Văn", "Văn"],
        "middle_female": ["Thị", "Thị"],
        "given_male": ["Khăm", "Bun", "Xiêng", "Phon", "Oánh"],
        "given_female": ["Khăm", "Bun", "Xuân", "Pheng", "Mai"],
    },
}  # fmt: skip

# Village names for households: Thái, Mông, Dao and Hà Nhì place names of the northern mountains.
VILLAGE_WORDS = [
    "Nà Khuy", "Phiêng Tòng", "Hua Pậu", "Phiêng Lúc", "Sin Câu", "Pa Pe", "Nậm Dê", "Lùng Cúng",
    "Hồ Pa", "Chu Va", "Tả Phìn", "Sì Choang", "Pa Khóa", "Huổi Ke", "Cò Lá", "Nà Bỏ", "Thẳm Phé",
    "Nà Phát", "Co Muông", "Sin Chải", "Mồ Sì San", "Pô Lếch", "Xin Chải", "Tà Lành", "Nà Hừ",
    "Lả Mường", "Phiêng Pẳng", "Nà Ít", "Huổi Luông", "Giang Ma", "Hoang Thèn", "Vàng Pheo",
    "Can Hồ", "Lò Suối Tủng", "Xà Dề Phìn", "Nậm Cười", "Tà Mung", "Nà Bảo", "Ta Gia", "Pắc Ma",
]  # fmt: skip

# Positions: heads and deputies by unit kind, then the staff positions.
DEPUTY_TITLE = {
    "Chánh Văn phòng": "Phó Chánh Văn phòng",
    "Giám đốc": "Phó Giám đốc",
    "Chánh Thanh tra": "Phó Chánh Thanh tra",
    "Trưởng ban": "Phó Trưởng ban",
    "Tổng Biên tập": "Phó Tổng Biên tập",
    "Hiệu trưởng": "Phó Hiệu trưởng",
    "Chủ tịch": "Phó Chủ tịch",
    "Bí thư": "Phó Bí thư",
    "Trưởng phòng": "Phó Trưởng phòng",
    "Trưởng khoa": "Phó Trưởng khoa",
    "Trạm trưởng": "Phó Trạm trưởng",
    "Chủ tịch UBND tỉnh": "Phó Chủ tịch UBND tỉnh",
    "Chủ tịch UBND xã": "Phó Chủ tịch UBND xã",
    "Chủ tịch UBND phường": "Phó Chủ tịch UBND phường",
    "Chi cục trưởng": "Phó Chi cục trưởng",
    "Tổng Giám đốc": "Phó Tổng Giám đốc",
    "Chủ nhiệm": "Phó Chủ nhiệm",
}
STAFF_POSITIONS = {
    "office": ["Chuyên viên", "Chuyên viên", "Chuyên viên", "Chuyên viên chính", "Kế toán",
               "Văn thư", "Thanh tra viên", "Chuyên viên", "Cán sự"],
    "school": ["Giáo viên", "Giáo viên", "Giáo viên", "Giáo viên", "Giáo viên", "Kế toán",
               "Nhân viên thư viện", "Tổng phụ trách Đội"],
    "college": ["Giảng viên", "Giảng viên", "Giảng viên chính", "Chuyên viên"],
    "health": ["Bác sĩ", "Bác sĩ", "Điều dưỡng", "Điều dưỡng", "Điều dưỡng", "Hộ sinh",
               "Dược sĩ", "Kỹ thuật viên", "Y sĩ"],
    "commune": ["Công chức Văn phòng – Thống kê", "Công chức Tài chính – Kế toán",
                "Công chức Tư pháp – Hộ tịch", "Công chức Văn hóa – Xã hội",
                "Công chức Địa chính – Xây dựng", "Chuyên viên Phòng Kinh tế",
                "Chuyên viên Phòng Văn hóa – Xã hội", "Chủ tịch Hội Nông dân xã",
                "Bí thư Đoàn Thanh niên xã", "Chủ tịch Hội Liên hiệp Phụ nữ xã"],
    "villager": ["Nông dân", "Nông dân", "Nông dân", "Nông dân", "Trưởng bản", "Người có uy tín",
                 "Nhân viên y tế thôn bản", "Tổ trưởng tổ hợp tác chè", "Chi hội trưởng nông dân"],
    "enterprise": ["Công nhân", "Công nhân", "Công nhân", "Công nhân", "Kỹ sư", "Kế toán",
                   "Tổ trưởng sản xuất"],
}  # fmt: skip

# --- Texts of initiatives, movements and sudden achievements ---

INITIATIVE_TEMPLATES = {
    "office": [
        "Giải pháp số hóa hồ sơ {topic} tại {unit}",
        "Xây dựng cơ sở dữ liệu {topic} phục vụ chỉ đạo, điều hành",
        "Giải pháp rút ngắn thời gian giải quyết thủ tục hành chính về {topic}",
        "Quy trình phối hợp trong công tác {topic} giữa các cơ quan cấp tỉnh và cấp xã",
    ],
    "school": [
        "Một số biện pháp nâng cao chất lượng dạy học môn {topic} cho học sinh dân tộc thiểu số",
        "Biện pháp duy trì sĩ số học sinh bán trú tại {unit}",
        "Ứng dụng công nghệ thông tin trong dạy học môn {topic}",
        "Tăng cường tiếng Việt cho trẻ dân tộc thiểu số qua hoạt động {topic}",
    ],
    "health": [
        "Ứng dụng kỹ thuật {topic} trong điều trị tại {unit}",
        "Giải pháp nâng cao tỷ lệ tiêm chủng đầy đủ cho trẻ em vùng cao",
        "Cải tiến quy trình {topic} nhằm giảm thời gian chờ của người bệnh",
    ],
    "commune": [
        "Mô hình trồng {topic} gắn với sinh kế cho đồng bào dân tộc thiểu số",
        "Giải pháp vận động nhân dân hiến đất làm đường giao thông nông thôn",
        "Cách làm hay trong vận động xóa nhà tạm, nhà dột nát tại {unit}",
    ],
    "enterprise": [
        "Cải tiến quy trình {topic} tại {unit}",
        "Giải pháp tiết kiệm năng lượng trong khâu {topic}",
    ],
}
INITIATIVE_TOPICS = {
    "office": ["cán bộ, công chức", "thi đua, khen thưởng", "đất đai", "đầu tư công",
               "cải cách hành chính", "văn bản quy phạm pháp luật", "đăng ký doanh nghiệp",
               "quản lý ngân sách", "chuyển đổi số", "tiếp công dân"],
    "school": ["Toán", "Tiếng Việt", "Ngữ văn", "Tiếng Anh", "Lịch sử", "Khoa học tự nhiên",
               "Tin học", "kể chuyện", "trải nghiệm"],
    "health": ["nội soi", "lọc máu", "cấp cứu ngoại viện", "chăm sóc sơ sinh", "xét nghiệm",
               "gây mê hồi sức", "cấp phát thuốc"],
    "commune": ["chè", "quế", "sâm Lai Châu", "mắc ca", "thảo quả", "lúa nước", "cây dược liệu"],
    "enterprise": ["chế biến chè", "vận hành tổ máy", "xử lý nước", "thi công mặt đường"],
}  # fmt: skip

MOVEMENTS = [
    (2016, 2025, "Cả nước chung tay vì người nghèo – Không để ai bị bỏ lại phía sau"),
    (2016, 2025, "Lai Châu chung sức xây dựng nông thôn mới"),
    (2016, 2025, "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở"),
    (2018, 2025, "Dân vận khéo"),
    (2020, 2022, "Phòng, chống dịch bệnh COVID-19"),
    (2024, 2025, "Chung tay xóa nhà tạm, nhà dột nát"),
    (2021, 2025, "Chuyển đổi số trong cơ quan nhà nước"),
]
SUDDEN_EVENTS = [
    "Đã có thành tích xuất sắc đột xuất trong công tác cứu hộ, cứu nạn khi xảy ra lũ quét, sạt lở đất",
    "Đã có hành động dũng cảm cứu người bị nạn",
    "Đã có thành tích xuất sắc đột xuất trong phòng, chống dịch bệnh",
    "Đã có thành tích xuất sắc đột xuất trong phòng, chống cháy rừng",
    "Đã có thành tích xuất sắc đột xuất trong đấu tranh phòng, chống tội phạm ma túy ở khu vực biên giới",
]
DISCIPLINE_REASONS = [
    "Vi phạm quy định về chế độ báo cáo, thông tin",
    "Chậm giải quyết thủ tục hành chính, gây phiền hà cho người dân",
    "Vi phạm quy định về quản lý tài chính, tài sản công",
    "Vi phạm quy chế làm việc của cơ quan",
]
INVESTIGATION_REASONS = [
    "Đang xem xét đơn phản ánh về việc quản lý, sử dụng kinh phí",
    "Đang xác minh nội dung báo chí phản ánh",
    "Đang thanh tra việc thực hiện nhiệm vụ được giao",
    "Đang xem xét trách nhiệm theo kết luận kiểm tra",
]
