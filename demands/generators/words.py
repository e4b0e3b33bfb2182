"""The sentence patterns of the demand generator and the words around its demands: partners,
brands, contact names, streets and area codes. Plain data, no code; the per-domain phrase banks
are in :mod:`demands.generators.banks`."""

TITLE_PATTERNS = [
    "{subject}{aspect}技术研发",
    "{subject}{aspect}关键技术",
    "面向{scenario}的{subject}{aspect}",
    "{scenario}{subject}{aspect}解决方案",
    "基于{method}的{subject}{aspect}",
    "{subject}{aspect}工艺改进",
    "高性能{subject}研制",
]
PROBLEM_SENTENCES = [
    "目前{subject}在{scenario}中存在{issue}的问题，制约了产品的规模化应用。",
    "现有{subject}方案{issue}，难以满足{scenario}对{aspect}的要求。",
    "需要重点突破{aspect}，并结合{method}建立可工程化的技术路线。",
    "希望通过{method}，使{indicator}达到{target}。",
    "关键难点在于{aspect}与成本之间的平衡，现有工艺窗口较窄。",
    "同时需要解决{other_aspect}问题，保证在{scenario}长期稳定运行。",
]
# Added to a few problems of any domain (so 电池 and 芯片 also occur outside their banks).
CROSS_SENTENCE = "相关配套的{cross}也需同步验证。"
CROSS_SHARE = 0.06
BASE_SENTENCES = [
    "公司成立于{year}年，主要从事{subject}的研发与生产，年产值约{revenue}亿元。",
    "拥有发明专利{patents}项，建有省级工程技术研究中心。",
    "已完成{subject}小试，具备{method}的基础条件。",
    "现有研发人员{staff}人，其中博士{doctors}人。",
]
SECRET_SENTENCES = [
    "目前正与{partner}合作开展{subject}中试，月产能{capacity}套。",
    "核心配方采用自研{code}工艺，良品率已达{rate}%。",
    "已向{partner}小批量供货，合同金额{amount}万元。",
]
OUTCOME_SENTENCES = [
    "形成{subject}{aspect}成套技术方案，完成{form}验证。",
    "{indicator}达到{target}，通过第三方检测。",
    "申请发明专利{patents}项以上，形成企业标准1项。",
    "建成示范线1条，实现在{scenario}的推广应用。",
]
CONDITION_SENTENCES = [
    "具备{method}研发能力和{subject}相关工程化经验。",
    "有{scenario}领域项目业绩者优先。",
    "团队核心成员须有相关领域高级职称或博士学位。",
]
CROSS_TOPICS = [
    "电池供电模块",
    "控制芯片",
    "电池热管理单元",
    "国产芯片",
    "储能电池单元",
    "传感芯片",
    "备用电池",
]
PARTNERS = [
    "某整车企业",
    "某央企研究院",
    "某电网公司",
    "某头部电池企业",
    "某晶圆厂",
    "某三甲医院",
    "某航空主机厂",
]
FORM_WORDS = ["样机", "中试", "工程样件", "示范线", "软件原型"]
BRANDS = [
    "华创",
    "瑞能",
    "中科",
    "恒信",
    "天工",
    "博睿",
    "安泰",
    "鼎盛",
    "新元",
    "汇智",
    "卓越",
    "远航",
    "弘毅",
    "启明",
    "锐芯",
    "智源",
    "海纳",
    "长风",
    "同创",
    "精研",
    "蓝天",
    "金石",
    "众合",
    "泰和",
    "宏图",
    "云帆",
    "正泰",
    "联诚",
    "英飞",
    "睿达",
]
DOMAIN_WORDS = {
    "energy": ["新能源", "电池", "储能", "光伏", "氢能"],
    "it": ["信息", "智能", "微电子", "软件", "芯片"],
    "materials": ["新材料", "复合材料", "材料", "化工", "金属"],
    "equipment": ["装备", "机器人", "精密机械", "智能制造", "动力"],
    "bio": ["生物", "医药", "基因", "医疗器械", "健康"],
    "environment": ["环保", "节能", "环境", "能源", "水务"],
}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
TITLES = ["工", "经理", "主任", "博士", "总", "老师"]
STREETS = ["高新路", "科技路", "创业大道", "锦业路", "软件园路", "工业大道", "滨江路", "学府路"]
AREA_CODES = {
    "11": "010",
    "12": "022",
    "31": "021",
    "21": "024",
    "13": "0318",
    "32": "025",
    "33": "0571",
    "36": "0701",
    "37": "0532",
    "42": "027",
    "44": "020",
    "51": "0816",
    "61": "029",
    "62": "0931",
    "63": "0971",
    "64": "0951",
}
