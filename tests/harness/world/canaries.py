"""The world's marked values: what a page a persona may not see in full must never show."""

from demands.enums import HideableField

# Values that exist only in the hidden fields of the world's published demand: if one shows on
# a page the persona may not see in full, the page leaks.
CANARIES = {
    HideableField.ORGANISATION: "金丝雀矩阵科技有限公司CANARYORG",
    HideableField.CONTACT_PERSON: "雀鸣矩CANARYPERSON",
    HideableField.PHONE: "13912340987",
    HideableField.EMAIL: "matrix.canary@canary-mail.cn",
    HideableField.ADDRESS: "西安市雁塔区金丝雀路77号CANARYADDR",
    HideableField.BUDGET: "876.54",
    HideableField.PRIZE: "234.56",
    HideableField.ATTACHMENTS: "金丝雀附件CANARYFILE.pdf",
}
HIDDEN_PASSAGE = "钽铌复合配方QX7"
# What the public sees instead of the hidden organisation name (demands.public).
PUBLIC_TITLE = "高温合金涡轮叶片涂层寿命提升"

# Solutions are private to their circle; a published clarification shows without the asker.
SOLUTION_CANARY = "方案正文金丝雀SOLCANARY"
PRIVATE_QUESTION = "私密提问金丝雀QCANARY"
PUBLISHED_ANSWER = "公开答复：样件由需求方提供QAMATRIX"
# A staff-only achievement: nobody but its holder's members, host and Torch staff sees it.
STAFF_ACHIEVEMENT = "矩阵内部成果MATCHLEAK"
# A closed live round (not every side consented): its title, judges and results stay with its
# participants, host and Torch staff.
ROUND_CANARY = "矩阵闭门现场赛ROUNDLEAK"

# Foreign rows are recognised on admin pages by these (an admin list or filter that shows one
# shows another unit's data).
FOREIGN_MARK = "外单位QZ"

# What only the complainant, the handling staff and Torch staff read of the world's complaint.
COMPLAINT_CANARY = "投诉金丝雀CANARYCOMPLAINT"

# A subsidy application's justification: read by the applying company, unit A's staff and
# Torch staff only. The policy itself is public.
SUBSIDY_CANARY = "补助理由金丝雀CANARYSUBSIDY"
SUBSIDY_POLICY_TITLE = "甲市揭榜对接研发补助"
