import re

from django.urls import reverse

from ..factories import AssociationFactory, EnterpriseFactory


def count_cell(html: str, code: str, column: int) -> str:
    """The text of a count column in the row of region ``code`` (0: enterprises, 1: 科协)."""
    row = re.search(rf"<td[^>]*>{code}</td>(.*?)</tr>", html, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[2:]
    return re.sub(r"<[^>]+>", "", cells[column]).strip()


def test_province_page_counts_only_visible_enterprises(client, world):
    EnterpriseFactory(region_id="410202")  # 开封市 龙亭区: outside 中原区 staff's reach
    client.force_login(world.county_staff)
    html = client.get(reverse("regions:detail", args=["410000"])).content.decode()
    assert count_cell(html, "410100", 0) == "2"  # 郑州: the two 中原区 enterprises only
    assert count_cell(html, "410100", 1) == "1"  # 郑州: only 中原区's enterprise 科协
    assert count_cell(html, "410200", 0) == "0"  # 开封: nothing visible, nothing leaked

    client.force_login(world.province_staff)
    html = client.get(reverse("regions:detail", args=["410000"])).content.decode()
    assert count_cell(html, "410100", 0) == "3"
    assert count_cell(html, "410200", 0) == "1"
    assert count_cell(html, "410100", 1) == "2"


def test_national_page_counts_by_province(client, world):
    AssociationFactory(enterprise=EnterpriseFactory(region_id="130102"))  # 河北
    client.force_login(world.admin)
    html = client.get(reverse("regions:index")).content.decode()
    assert count_cell(html, "410000", 0) == "3"
    assert count_cell(html, "130000", 0) == "1"
    assert count_cell(html, "130000", 1) == "1"


def test_county_directly_under_province_is_a_child_row(client, world):
    EnterpriseFactory(region_id="419001")
    client.force_login(world.province_staff)
    html = client.get(reverse("regions:detail", args=["410000"])).content.decode()
    assert count_cell(html, "419001", 0) == "1"


def test_local_association_linked_only_when_visible(client, world):
    client.force_login(world.county_staff)
    html = client.get(reverse("regions:detail", args=["410000"])).content.decode()
    assert "河南省科学技术协会" in html
    assert not re.search(r'<a href="/associations/\d+/">河南省科学技术协会</a>', html)
    html = client.get(reverse("regions:detail", args=["410102"])).content.decode()
    assert re.search(r'<a href="/associations/\d+/">中原区科学技术协会</a>', html)


def test_counts_hidden_from_roles_that_cannot_see_enterprises(client, world):
    client.force_login(world.member)
    html = client.get(reverse("regions:detail", args=["410000"])).content.decode()
    assert "企业数" not in html
