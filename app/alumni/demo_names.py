"""Vietnamese names for the demo register, drawn as they occur.

Faker's Vietnamese locale has ten family names and gives "John" or "Jane" as every first
name, which made one alumnus in five a namesake of thousands and filled the duplicates
queue. Family names follow their shares in Vietnam (Nguyễn about 38 %); the given name is a
middle name and a personal name, as Vietnamese registers write it ("Văn Hùng", "Thị Lan").
"""

from __future__ import annotations

import random

FAMILY = [("Nguyễn", 380), ("Trần", 110), ("Lê", 95), ("Phạm", 70), ("Hoàng", 30),
          ("Huỳnh", 21), ("Phan", 45), ("Vũ", 25), ("Võ", 14), ("Đặng", 21), ("Bùi", 20),
          ("Đỗ", 14), ("Hồ", 13), ("Ngô", 13), ("Dương", 10), ("Lý", 5), ("Đinh", 6),
          ("Trương", 6), ("Đoàn", 5), ("Lâm", 4), ("Mai", 4), ("Trịnh", 4), ("Cao", 3),
          ("Lương", 3), ("Tạ", 2), ("Hà", 3), ("Tô", 2), ("Châu", 2), ("Quách", 1)]
MIDDLE = {
    "male": ["Văn", "Văn", "Văn", "Đức", "Minh", "Hữu", "Quang", "Thanh", "Công", "Quốc",
             "Hoàng", "Tuấn", "Xuân", "Đình", "Trọng", "Ngọc", "Gia", "Bảo", "Anh", "Thế"],
    "female": ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Kim", "Hồng", "Bích",
               "Thuỳ", "Mỹ", "Phương", "Khánh", "Hoài", "Diệu", "Quỳnh", "Bảo", "Lan", "Hải"],
}
GIVEN = {
    "male": ["An", "Anh", "Bảo", "Bình", "Cường", "Chiến", "Dũng", "Duy", "Đạt", "Đông",
             "Giang", "Hải", "Hiếu", "Hiển", "Hòa", "Hoàng", "Huy", "Hùng", "Khang", "Khánh",
             "Khoa", "Kiên", "Lâm", "Lộc", "Long", "Luân", "Mạnh", "Minh", "Nam", "Nghĩa",
             "Nhân", "Phát", "Phong", "Phúc", "Phước", "Quân", "Quang", "Sang", "Sơn", "Tài",
             "Tâm", "Tân", "Thắng", "Thành", "Thịnh", "Thuận", "Tiến", "Toàn", "Trí", "Trung",
             "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Hậu", "Hưng", "Lực", "Nhật", "Tú"],
    "female": ["An", "Anh", "Ánh", "Bích", "Châu", "Chi", "Diễm", "Dung", "Duyên", "Giang",
               "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng", "Huệ", "Hương", "Huyền", "Lan",
               "Liên", "Linh", "Loan", "Ly", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhi",
               "Nhung", "Oanh", "Phương", "Quyên", "Quỳnh", "Tâm", "Thảo", "Thơ", "Thu",
               "Thủy", "Tiên", "Trâm", "Trang", "Trinh", "Tuyết", "Uyên", "Vân", "Vy", "Xuân",
               "Yến", "Hân", "Khuê", "Mơ", "Nguyệt", "Phượng", "Sương", "Thắm", "Thư", "Tú",
               "Hậu"],
}
_FAMILY_NAMES = [name for name, _ in FAMILY]
_FAMILY_WEIGHTS = [weight for _, weight in FAMILY]


def vietnamese_name(rng: random.Random) -> tuple[str, str, str]:
    """(given name with its middle name, family name, gender) for one Vietnamese alumnus."""
    gender = rng.choice(("female", "male"))
    family = rng.choices(_FAMILY_NAMES, _FAMILY_WEIGHTS)[0]
    given = f"{rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"
    return given, family, gender


# Malay names: a given name (men often "Muhammad" before it), then bin / binti and the
# father's given name.
MALAY_GIVEN = {
    "male": ["Ahmad", "Hafiz", "Amirul", "Syafiq", "Haziq", "Aiman", "Danish", "Irfan", "Faiz",
             "Hakim", "Iqbal", "Luqman", "Nabil", "Rizal", "Shahrul", "Zulkifli", "Azlan",
             "Firdaus", "Hazwan", "Khairul", "Naim", "Razak", "Safwan", "Taufiq", "Zahid",
             "Arif", "Badrul", "Fikri", "Harith", "Izzat"],
    "female": ["Nurul", "Siti", "Aisyah", "Farah", "Izzati", "Balqis", "Nur Aina", "Syazwani",
               "Amirah", "Hanis", "Liyana", "Nadia", "Sofea", "Zulaikha", "Aqilah", "Damia",
               "Fatin", "Husna", "Intan", "Khadijah", "Maisarah", "Najwa", "Puteri", "Raihana",
               "Safiyya", "Umairah", "Wardah", "Yasmin", "Zahirah", "Athirah"],
}
MALAY_FATHERS = ["Abdullah", "Hassan", "Ismail", "Yusof", "Rahman", "Osman", "Ibrahim",
                 "Ahmad", "Zakaria", "Salleh", "Ali", "Mohd Noor", "Hamzah", "Jamaluddin",
                 "Kamaruddin", "Mahmud", "Mustafa", "Omar", "Rashid", "Sulaiman", "Yaakob",
                 "Aziz", "Bakar", "Daud", "Halim", "Idris", "Jaafar", "Karim", "Latif", "Musa",
                 "Nasir", "Rosli", "Samad", "Talib", "Wahab", "Yahya", "Zainal", "Harun",
                 "Ismadi", "Fauzi"]
KHMER_GIVEN = ["សុភា", "វណ្ណា", "ចាន់ធី", "សុខា", "ដារ៉ា", "ស្រីនិច", "រតនា", "ពិសិដ្ឋ", "សុវណ្ណ",
               "បុប្ផា", "ច័ន្ទ្រា", "សំណាង", "វិចិត្រ", "ធីតា", "សុផល", "ពិសី", "មករា", "រស្មី",
               "សុជាតា", "វាសនា", "ចរិយា", "សោភ័ណ", "សុគន្ធា", "បញ្ញា", "ភារម្យ", "សុធា", "និមល",
               "ឧត្តម", "សីហា", "កញ្ញា"]
KHMER_FAMILY = ["សុខ", "ចាន់", "ហេង", "លី", "មាស", "កែវ", "ឈឹម", "អ៊ុក", "ស៊ុន", "ព្រំ", "ទេព",
                "ឃឹម", "ណុប", "យឹម", "ស៊ីម", "ជា", "អ៊ឹម", "ហ៊ុន", "សេង", "ពៅ", "ឡុង", "ម៉ៅ",
                "ថាច់", "ហួត", "គង់"]
# Burmese names have no family name: two or three syllables, freely combined.
BURMESE_SYLLABLES = ["အောင်", "ကျော်", "မင်း", "ထက်", "ဇော်", "ဝင်း", "သီ", "တာ", "နီ", "လာ",
                     "ခင်", "မာ", "မြတ်", "နိုး", "စိုး", "လွင်", "ဇင်", "ထွန်း", "ဖြိုး", "ဝေ",
                     "ရီ", "သူ", "ဟန်", "နွယ်", "ချို", "ပြည့်", "ဖြူ", "လင်း", "နန္ဒာ", "သန့်",
                     "ဆု", "မွန်", "ကို", "ညို", "စန္ဒာ", "ပိုင်", "ရဲ", "သော်", "ဦး", "ယု"]


def malay_name(rng: random.Random) -> tuple[str, str, str]:
    gender = rng.choice(("female", "male"))
    given = rng.choice(MALAY_GIVEN[gender])
    if gender == "male" and rng.random() < 0.3:
        given = f"Muhammad {given}"
    link = "bin" if gender == "male" else "binti"
    return given, f"{link} {rng.choice(MALAY_FATHERS)}", gender


def khmer_name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(KHMER_GIVEN), rng.choice(KHMER_FAMILY)


def burmese_name(rng: random.Random) -> str:
    return "".join(rng.sample(BURMESE_SYLLABLES, rng.choice((2, 2, 3))))
