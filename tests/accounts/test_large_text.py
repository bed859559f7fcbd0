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


def test_switching_needs_the_pages_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/text-size/", {"large": "1"}).status_code == 403


def test_larger_text_chosen_on_the_login_page_stays_after_login(db, leader_a1):
    from tests.factories import PASSWORD

    client = Client()
    client.post("/text-size/", {"large": "1", "next": "/accounts/login/"})
    client.post("/accounts/login/", {"username": leader_a1.username, "password": PASSWORD})
    leader_a1.refresh_from_db()
    assert leader_a1.large_text
    assert 'class="large-text"' in client.get("/").content.decode()
    # A reading preference, not an account change: no entry in the user's history.
    entries = leader_a1.history.count()
    client.post("/text-size/", {"large": "0"})
    leader_a1.refresh_from_db()
    assert not leader_a1.large_text and leader_a1.history.count() == entries
