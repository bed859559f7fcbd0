"""适老化: larger text, switched by the reader at the foot of every page."""

from django.test import Client


def test_larger_text_is_kept_for_the_user_and_for_the_browser(db, login, leader_a1):
    client = login(leader_a1)
    response = client.post("/text-size/", {"large": "1", "next": "/activities/"})
    assert response.status_code == 302 and response["Location"] == "/activities/"
    leader_a1.refresh_from_db()
    assert leader_a1.large_text and response.cookies["large_text"].value == "1"
    assert '<html lang="zh-hans" class="large-text">' in client.get("/").content.decode()
    # Another device, logged in as the same user, reads large text too.
    other = Client()
    other.force_login(leader_a1)
    assert 'class="large-text"' in other.get("/").content.decode()
    client.post("/text-size/", {"large": "0", "next": "/"})
    leader_a1.refresh_from_db()
    assert not leader_a1.large_text


def test_larger_text_before_login_and_no_way_out_of_the_site(db):
    client = Client()
    response = client.post("/text-size/", {"large": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert 'class="large-text"' in client.get("/accounts/login/").content.decode()
