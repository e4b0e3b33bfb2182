from django.urls import reverse

from demands.enums import DemandStatus
from demands.services import transition
from matching.models import Achievement, Recommendation
from matching.services import recommend
from matching.services.library import create_achievement, update_achievement
from tests.factories.demands import DemandFactory

from .conftest import make_achievement


def test_publishing_a_demand_stores_its_recommendations_with_reasons(
        host_unit, host_organiser, field_, demand_owner, library,
        django_capture_on_commit_callbacks):
    demand = DemandFactory(
        host_unit=host_unit, industry_field=field_, status=DemandStatus.APPROVED,
        organisation=demand_owner.organisations.first(), created_by=demand_owner,
        title="IGBT模块封装散热优化", keywords=["IGBT", "热阻"],
        key_problem="IGBT模块结温过高，需降低结壳热阻。")
    with django_capture_on_commit_callbacks(execute=True):
        transition(demand, DemandStatus.PUBLISHED, actor=host_organiser)
    rows = list(Recommendation.objects.filter(demand=demand).order_by("-score"))
    assert rows[0].achievement == library["staff"] or rows[0].achievement == library["igbt"]
    igbt = next(row for row in rows if row.achievement == library["igbt"])
    concept = next(reason for reason in igbt.reasons if reason["concept"])
    # The abbreviation in the demand meets the full term in the achievement.
    assert (concept["demand"], concept["achievement"]) == ("IGBT", "绝缘栅双极型晶体管")


def test_hidden_passages_never_feed_a_reason(published_demand, holder, field_, library):
    secret = make_achievement(holder, field_, title="钽铌秘方配方工艺",
                              abstract="钽铌秘方X9需保密的配方工艺。")
    recommend.refresh_demand(published_demand)
    for row in Recommendation.objects.filter(demand=published_demand):
        for reason in row.reasons:
            assert "钽铌" not in reason["demand"] and "秘方" not in reason["demand"]
    assert not Recommendation.objects.filter(demand=published_demand,
                                             achievement=secret).exists()


def test_reasons_are_in_both_texts(published_demand, library):
    recommend.refresh_demand(published_demand)
    public = published_demand.public_snapshot
    demand_text = " ".join([public["title"], *public["keywords"], public["key_problem"]]).lower()
    rows = Recommendation.objects.filter(demand=published_demand).select_related("achievement")
    assert rows
    for row in rows:
        text = " ".join([row.achievement.title, *row.achievement.keywords,
                         row.achievement.abstract]).lower()
        for reason in row.reasons:
            assert reason["demand"].lower() in demand_text
            assert reason["achievement"].lower() in text


def test_a_new_achievement_enters_and_an_edited_one_leaves_incrementally(
        published_demand, holder, field_, library, django_capture_on_commit_callbacks):
    recommend.refresh_demand(published_demand)
    new = Achievement(owner=holder, industry_field=field_, trl=5, region="610100",
                      title="IGBT驱动与结温在线估计", abstract="功率模块结温与热阻在线估计。",
                      keywords=["IGBT", "结温"])
    with django_capture_on_commit_callbacks(execute=True):
        create_achievement(new, actor=None)
    assert Recommendation.objects.filter(demand=published_demand, achievement=new).exists()
    new.title, new.abstract, new.keywords = "茶叶烘焙机", "绿茶烘焙设备。", ["茶叶"]
    with django_capture_on_commit_callbacks(execute=True):
        update_achievement(new, actor=None)
    assert not Recommendation.objects.filter(demand=published_demand, achievement=new).exists()


def test_staff_only_achievements_are_shown_to_host_staff_not_to_the_owner(
        client, published_demand, host_organiser, demand_owner, library):
    recommend.refresh_demand(published_demand)
    url = reverse("matching:recommendations", kwargs={"ref": published_demand.ref})
    client.force_login(host_organiser)
    page = client.get(url).content.decode()
    assert library["staff"].get_absolute_url() in page
    client.force_login(demand_owner)
    page = client.get(url).content.decode()
    assert library["staff"].get_absolute_url() not in page
    assert library["igbt"].get_absolute_url() in page


def test_recommendation_page_is_404_for_a_stranger(client, published_demand, stranger):
    client.force_login(stranger)
    url = reverse("matching:recommendations", kwargs={"ref": published_demand.ref})
    assert client.get(url).status_code == 404


def test_recommendation_page_query_count_does_not_grow(
        client, published_demand, host_organiser, holder, field_, django_assert_num_queries):
    make_achievement(holder, field_, title="IGBT模块热阻测试", abstract="IGBT热阻。")
    recommend.refresh_demand(published_demand)
    client.force_login(host_organiser)
    url = reverse("matching:recommendations", kwargs={"ref": published_demand.ref})
    client.get(url)
    with django_assert_num_queries(5) as one:
        client.get(url)
    for n in range(2):
        make_achievement(holder, field_, title=f"IGBT功率模块封装{n}", abstract="IGBT热阻。")
    recommend.refresh_demand(published_demand)
    assert Recommendation.objects.filter(demand=published_demand).count() >= 3
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


def test_a_built_index_has_every_terms_arrays_ready_before_its_first_ranking(library):
    index = recommend.build_index()
    assert index.postings
    assert set(index._arrays) == set(index.postings)
    assert index._doc_arrays is not None
