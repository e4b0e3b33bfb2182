"""What the mixed load's challengers type into the solution form (bench/locustfile.py), shared
with the profile of that journey (bench/profile.py)."""

import io


def _pdf():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF = _pdf()


def solution_form(person, demand):
    """The fields of a complete solution to ``demand`` (from the load fixtures) for the
    challenger ``person``, sent with "submit"; and its attachment (name, bytes, type)."""
    data = {
        "organisation": person["organisation"],
        "title": "基于多源数据融合的工艺优化方案", "summary": "以在线检测与模型预测控制降低能耗。",
        "approach": "一、现场数据采集；二、机理与数据混合建模；三、中试验证与交付。",
        "trl": "6", "ip_status": "none", "team_lead": "王工", "team_members": "李工\n赵工",
        "team_institution": "某大学工程研究中心", "cost": "120", "duration_months": "12",
        "cooperation_mode": demand["mode"], "submit": "1",
    }
    for indicator in demand["indicators"]:
        data[f"promise_{indicator['id']}"] = indicator["value"]
        data[f"verification_{indicator['id']}"] = indicator["verification"]
    return data, ("方案说明.pdf", PDF, "application/pdf")
