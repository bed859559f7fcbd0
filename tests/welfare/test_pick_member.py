"""申请帮扶 from the case list: the application starts by finding the member, among those
the user may apply for."""

from django.urls import reverse

from tests.factories import leader_user, workshop_user


def test_the_case_list_offers_an_application_and_finds_the_member(org, login):
    client = login(workshop_user(org.a))
    listing = client.get(reverse("welfare:case_list")).content.decode()
    start = reverse("welfare:case_create")
    assert f'href="{start}"' in listing and "申请帮扶" in listing
    member = org.A1.members.first()
    page = client.get(start, {"q": member.name}).content.decode()
    assert f"{start}?member={member.pk}" in page
    other = org.B1.members.first()
    assert f"?member={other.pk}" not in client.get(start, {"q": other.name}).content.decode()


def test_a_leader_finds_only_their_own_groups_members(org, login):
    client = login(leader_user(org.A1))
    page = client.get(reverse("welfare:case_create")).content.decode()
    assert all(f"?member={m.pk}" in page for m in org.A1.members.all())
    assert not any(f"?member={m.pk}" in page for m in org.A2.members.all())
