"""Search covers every public word of a demand's page: the host unit and event names shown on
it (湖北 finds the demands of 湖北's units), the public contact and address, the labels."""

from demands.enums import DemandStatus
from demands.public import search
from demands.public.projection import public_demands
from tests.demands.public_support import *  # noqa: F403
from tests.demands.public_support import publish
from tests.factories.contests import HostUnitFactory
from tests.factories.demands import DemandFactory


def _refs(text):
    return set(search.search(public_demands(), text).values_list("ref", flat=True))


def test_host_unit_event_and_labels_are_searchable(db):
    unit = HostUnitFactory(name="武汉东湖新技术开发区管委会")
    unit.event.name = "第六届中国创新挑战赛（湖北）"
    unit.event.save()
    demand = publish(DemandFactory(host_unit=unit, status=DemandStatus.PUBLISHED,
                                   title="轴承寿命预测", address="武昌区珞喻路1号"))
    other = publish(DemandFactory(status=DemandStatus.PUBLISHED, title="轴承寿命预测二"))
    assert demand.ref in _refs("湖北") and other.ref not in _refs("湖北")
    assert demand.ref in _refs("东湖新技术开发区")
    assert demand.ref in _refs("珞喻路")
    assert {demand.ref, other.ref} <= _refs("合作开发")  # the cooperation mode's label
