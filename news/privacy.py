"""What the news app holds about a person (``accounts.privacy``): the author of an item, whose
published news stays, anonymised."""

from accounts.privacy import KEEP, register_model


def register():
    register_model("news.NewsItem", section="news_items", user_fields=["created_by"],
                   erase=KEEP, reason="published news of the contest; the row points at the "
                                      "anonymised account and holds nothing else of the person")
