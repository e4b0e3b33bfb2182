"""Names of GB/T 2260 region codes, for public texts such as 「某西安新材料产业企业」.

Only the codes the portal meets are listed: the 31 provinces, the cities and districts of the
host units (DOMAIN.md) and the provincial capitals. Any other code falls back to its city
(``XXXX00``), then to its province (``XX0000``). Names are the short forms used in running text
(西安, not 西安市).
"""

PROVINCES = {
    "110000": "北京", "120000": "天津", "130000": "河北", "140000": "山西",
    "150000": "内蒙古", "210000": "辽宁", "220000": "吉林", "230000": "黑龙江",
    "310000": "上海", "320000": "江苏", "330000": "浙江", "340000": "安徽",
    "350000": "福建", "360000": "江西", "370000": "山东", "410000": "河南",
    "420000": "湖北", "430000": "湖南", "440000": "广东", "450000": "广西",
    "460000": "海南", "500000": "重庆", "510000": "四川", "520000": "贵州",
    "530000": "云南", "540000": "西藏", "610000": "陕西", "620000": "甘肃",
    "630000": "青海", "640000": "宁夏", "650000": "新疆",
}

# Cities (XXXX00) and the few districts or county-level cities that host an event.
LOCALITIES = {
    # host units of the 6th edition (DOMAIN.md)
    "210200": "大连", "131100": "衡水", "320100": "南京", "320115": "南京江宁区",
    "320500": "苏州", "320582": "张家港", "320900": "盐城", "321000": "扬州",
    "330200": "宁波", "360600": "鹰潭", "370200": "青岛", "371100": "日照",
    "371500": "聊城", "440100": "广州", "440200": "韶关", "440600": "佛山",
    "441300": "惠州", "441900": "东莞", "510700": "绵阳", "511300": "南充",
    "511500": "宜宾", "610100": "西安", "610400": "咸阳", "610600": "延安",
    "620100": "兰州", "630100": "西宁",
    # provincial capitals and sub-provincial cities
    "130100": "石家庄", "140100": "太原", "150100": "呼和浩特", "210100": "沈阳",
    "220100": "长春", "230100": "哈尔滨", "330100": "杭州", "340100": "合肥",
    "350100": "福州", "350200": "厦门", "360100": "南昌", "370100": "济南",
    "410100": "郑州", "420100": "武汉", "430100": "长沙", "440300": "深圳",
    "450100": "南宁", "460100": "海口", "510100": "成都", "520100": "贵阳",
    "530100": "昆明", "540100": "拉萨", "640100": "银川", "650100": "乌鲁木齐",
}


def province_code(code):
    """``610104`` → ``610000``; empty for anything that is not a 6-digit code."""
    code = (code or "").strip()
    if len(code) != 6 or not code.isdigit():
        return ""
    return code[:2] + "0000"


def city_code(code):
    """``610104`` → ``610100``; empty for anything that is not a 6-digit code."""
    code = (code or "").strip()
    if len(code) != 6 or not code.isdigit():
        return ""
    return code[:4] + "00"


def region_name(code):
    """The short name of a region code: the code itself if listed, else its city, else its
    province; empty when even the province is unknown."""
    code = (code or "").strip()
    if not code:
        return ""
    if code in LOCALITIES:
        return LOCALITIES[code]
    if code in PROVINCES:
        return PROVINCES[code]
    city = city_code(code)
    if city in LOCALITIES:
        return LOCALITIES[city]
    return PROVINCES.get(province_code(code), "")


def region_prefix(code):
    """The code prefix that a filter on ``code`` matches: ``61`` for a province, ``6101`` for a
    city, else the whole code."""
    code = (code or "").strip()
    if len(code) != 6 or not code.isdigit():
        return ""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def region_choices():
    """``[(code, name)]`` for a filter: provinces first, then listed cities and districts, each
    group in code order."""
    provinces = sorted(PROVINCES.items())
    localities = sorted(LOCALITIES.items())
    return provinces + localities
