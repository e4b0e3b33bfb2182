"""Publicity: unit A's news."""

from django.utils import timezone


def news(users, unit):
    """Publicity: a published item of host unit A and a draft of A."""
    from news.models import NewsItem

    published = NewsItem.objects.create(title="甲市挑战赛启动", body="<p>启动仪式举行。</p>",
                                        host_unit=unit, created_by=users["host"],
                                        publish_at=timezone.now())
    draft = NewsItem.objects.create(title="甲市未发布新闻", body="<p>草稿</p>", host_unit=unit,
                                    created_by=users["host"])
    return {"news": published, "news_draft": draft}
